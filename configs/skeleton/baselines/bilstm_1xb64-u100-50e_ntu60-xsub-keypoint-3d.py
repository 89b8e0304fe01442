# Seed 000's Bi-LSTM on NTU60 X-Sub 3D joints (data/skeleton/ntu60_3d.pkl).
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/bilstm_nturgbd.py',
    '../../_base_/datasets/ntu60-xsub-keypoint-3d_gcn-u100.py',
    '../../_base_/schedules/adam_50e.py'
]
default_hooks = dict(logger=dict(interval=100))
