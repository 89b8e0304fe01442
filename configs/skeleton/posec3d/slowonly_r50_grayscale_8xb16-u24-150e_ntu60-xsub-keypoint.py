# Seed 001's supervised PoseC3D on grayscale input: the 17 heatmaps of a frame
# merged into one 56 x 56 channel (1 x 24 x 56 x 56), otherwise as the
# heatmap model slowonly_r50_8xb16-u24-150e_ntu60-xsub-keypoint.py.
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/slowonly_r50_keypoint.py',
    '../../_base_/datasets/ntu60-xsub-keypoint_u24-s56.py',
    '../../_base_/schedules/adamw_150e.py'
]
model = dict(
    backbone=dict(in_channels=1),
    cls_head=dict(num_classes=60, dropout_ratio=0.5),
    data_preprocessor=_base_.pose_target_gray)
default_hooks = dict(checkpoint=dict(interval=5, max_keep_ckpts=3,
                                     save_best='auto'))
