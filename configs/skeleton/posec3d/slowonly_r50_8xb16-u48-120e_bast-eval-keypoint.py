# PoseC3D on bast-eval (evaluation annotations) from scratch. Set num_classes
# to the number of lines of your labels_eval.txt (BASTDataset checks it).
# Seed 004: top-3 72.2 % from scratch, 77.4 % from a bast-base checkpoint.
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/slowonly_r50_keypoint.py',
    '../../_base_/datasets/bast-eval-keypoint_u48-s56.py',
    '../../_base_/schedules/sgd_120e.py'
]
num_classes = 24
model = dict(
    cls_head=dict(num_classes=num_classes, dropout_ratio=0.6),
    data_preprocessor=_base_.pose_target)
train_dataloader = dict(dataset=dict(num_classes=num_classes))
val_dataloader = dict(dataset=dict(num_classes=num_classes))
test_dataloader = dict(dataset=dict(num_classes=num_classes))
default_hooks = dict(logger=dict(interval=50))
