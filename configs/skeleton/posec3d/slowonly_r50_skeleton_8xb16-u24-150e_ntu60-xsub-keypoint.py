# Seed 001's supervised PoseC3D on pure skeletons, the input of its best
# model: the (x, y) of 2 persons x 17 joints in the 56 x 56 frame as the
# channels of a 68 x 24 x 1 x 1 volume (FormatSkeletonVolume), through the
# heatmap model's backbone with in_channels=68. Alias:
# configs/poseconv3d_supervised.py.
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/slowonly_r50_keypoint.py',
    '../../_base_/datasets/ntu60-xsub-keypoint_u24-s56.py',
    '../../_base_/schedules/adamw_150e.py'
]
model = dict(
    backbone=dict(in_channels=68),
    cls_head=dict(num_classes=60, dropout_ratio=0.5),
    data_preprocessor=dict(
        type='ActionDataPreprocessor', format_shape='NCTHW'))
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline_skeleton))
val_dataloader = dict(dataset=dict(pipeline=_base_.val_pipeline_skeleton))
test_dataloader = val_dataloader
default_hooks = dict(checkpoint=dict(interval=5, max_keep_ckpts=3,
                                     save_best='auto'))
