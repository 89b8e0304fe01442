# The tiny 3D ResNeXt on the unbiased synthetic videos (13 classes), the CPU
# stand-in of the Kinetics recipe; tools/realtime.py measures its frames per
# second (docs/realtime.md).
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/tiny-resnext3d_rgb.py',
    '../../_base_/datasets/synthetic-video-unbiased-rgb_u16-s64.py',
    '../../_base_/schedules/adamw_cpu-demo.py'
]
max_epochs = 20
train_cfg = dict(max_epochs=max_epochs, val_begin=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, begin=1,
         end=max_epochs, T_max=max_epochs - 1, convert_to_iter_based=True)
]
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=5))
