# ST-GCN++ (joint) on BABEL-60 with cross-entropy, read straight from the
# release files (data/babel/*_60.*; see docs/babel.md).
_base_ = [
    '../../_base_/default_runtime.py', '../../_base_/models/stgcnpp_nturgbd.py',
    '../../_base_/datasets/babel60-keypoint-3d_gcn-u150.py',
    '../../_base_/schedules/sgd_80e.py'
]
model = dict(cls_head=dict(num_classes=60))
default_hooks = dict(logger=dict(interval=100))
