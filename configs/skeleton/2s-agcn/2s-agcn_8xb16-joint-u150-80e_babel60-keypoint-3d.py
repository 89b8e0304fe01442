# 2s-AGCN's joint stream on BABEL-60 with cross-entropy: the BABEL paper's
# baseline (top-1 / top-1-norm on BABEL-60: 41.1 / 24.5 with CE).
_base_ = [
    '../../_base_/default_runtime.py', '../../_base_/models/agcn_nturgbd.py',
    '../../_base_/datasets/babel60-keypoint-3d_gcn-u150.py',
    '../../_base_/schedules/sgd_80e.py'
]
model = dict(cls_head=dict(num_classes=60))
default_hooks = dict(logger=dict(interval=100))
