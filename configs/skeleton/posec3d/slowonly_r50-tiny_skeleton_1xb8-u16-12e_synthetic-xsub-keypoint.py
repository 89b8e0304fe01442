# The CPU PoseC3D on pure-skeleton input (seed 001's best model's input): 2
# persons x 17 joints x (x, y) in the 32 x 32 frame as the channels of a
# 68 x 16 x 1 x 1 volume. Supervised on clean keypoints.
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/slowonly_r50-tiny_keypoint.py',
    '../../_base_/datasets/synthetic-xsub-keypoint_u16-s32.py',
    '../../_base_/schedules/adamw_cpu-demo.py'
]
model = dict(
    backbone=dict(in_channels=68),
    cls_head=dict(num_classes=13),
    data_preprocessor=dict(
        type='ActionDataPreprocessor', format_shape='NCTHW'))
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline_skeleton))
val_dataloader = dict(dataset=dict(pipeline=_base_.val_pipeline_skeleton))
test_dataloader = val_dataloader

default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=1, max_keep_ckpts=4, save_best='auto'))
env_cfg = dict(dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0)
