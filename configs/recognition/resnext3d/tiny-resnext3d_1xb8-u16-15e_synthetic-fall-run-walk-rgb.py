# Seed 002's fall / run / walk task on the synthetic videos, the CPU stand-in
# of the ResNeXt-101 fine-tuning: the tiny 3D ResNeXt from scratch, plain
# cross-entropy, no online augmentation. One of four runs (docs/realtime.md):
# this, weighted CE (-wce-), ClipAugment (-clipaug-some-), both.
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/tiny-resnext3d_rgb.py',
    '../../_base_/datasets/synthetic-fall-run-walk-rgb_u16-s64.py',
    '../../_base_/schedules/adamw_cpu-demo.py'
]
model = dict(cls_head=dict(num_classes=3))
max_epochs = 15
train_cfg = dict(max_epochs=max_epochs, val_begin=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, begin=1,
         end=max_epochs, T_max=max_epochs - 1, convert_to_iter_based=True)
]
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=5))
