# CPU-sized PoseC3D on the embedded synthetic skeleton set: `make demo` trains
# it in minutes on 2 cores (see README for its accuracy).
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/slowonly_r50-tiny_keypoint.py',
    '../../_base_/datasets/synthetic-xsub-keypoint_u16-s32.py'
]
model = dict(
    cls_head=dict(num_classes=13),
    data_preprocessor=dict(type='ActionDataPreprocessor', format_shape='NCTHW'))

train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=15, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=0, T_max=14, by_epoch=True,
         begin=1, end=15, convert_to_iter_based=True)
]
# AdamW converges in the few hundred steps a CPU run affords; SGD at the
# NTU recipe's scaled rate was still near chance after 5 epochs here.
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=0.003, weight_decay=0.01),
    clip_grad=dict(max_norm=40, norm_type=2))

default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=1, max_keep_ckpts=2, save_best='auto'))
env_cfg = dict(dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0)
auto_scale_lr = dict(enable=False, base_batch_size=16)
