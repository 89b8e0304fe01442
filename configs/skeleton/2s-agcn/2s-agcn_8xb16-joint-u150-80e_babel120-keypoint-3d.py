# 2s-AGCN's joint stream on BABEL-120 with cross-entropy: the BABEL paper's
# baseline (top-1 / top-1-norm on BABEL-60: 41.1 / 24.5 with CE).
_base_ = [
    '../../_base_/default_runtime.py', '../../_base_/models/agcn_nturgbd.py',
    '../../_base_/datasets/babel120-keypoint-3d_gcn-u150.py',
    '../../_base_/schedules/sgd_80e.py'
]
model = dict(cls_head=dict(num_classes=120))
default_hooks = dict(logger=dict(interval=100))
