# PoseC3D on bast-base (9 basic movements) from scratch. Seed 004: top-1
# 95.9 % from scratch, 97.3 % with transfer learning (see the -pretrained
# config).
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/slowonly_r50_keypoint.py',
    '../../_base_/datasets/bast-base-keypoint_u48-s56.py',
    '../../_base_/schedules/sgd_120e.py'
]
model = dict(
    cls_head=dict(num_classes=9, dropout_ratio=0.8),
    data_preprocessor=_base_.pose_target)
default_hooks = dict(logger=dict(interval=50))
