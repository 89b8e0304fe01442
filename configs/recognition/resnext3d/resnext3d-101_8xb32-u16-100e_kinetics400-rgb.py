# 3D ResNeXt-101 from scratch on Kinetics-400 (Hara et al. 2018: SGD,
# momentum 0.9, weight decay 1e-3, lr 0.1 for a batch of 256; here cosine
# decay over 100 epochs instead of their plateau schedule). 8 GPUs x 32 clips.
#   python tools/train.py THIS_CONFIG --launcher pytorch   (8 processes)
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/resnext3d-101_rgb.py',
    '../../_base_/datasets/kinetics400-rgb_u16-s112.py'
]
max_epochs = 100
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs,
                 val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, begin=5,
         end=max_epochs, T_max=max_epochs - 5, convert_to_iter_based=True)
]
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-3),
    clip_grad=dict(max_norm=40, norm_type=2))
auto_scale_lr = dict(enable=False, base_batch_size=256)
