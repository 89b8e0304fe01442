# Seed 000's TCN on NTU60 X-Sub 3D joints (data/skeleton/ntu60_3d.pkl).
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/tcn_nturgbd.py',
    '../../_base_/datasets/ntu60-xsub-keypoint-3d_gcn-u100.py',
    '../../_base_/schedules/adam_50e.py'
]
default_hooks = dict(logger=dict(interval=100))
# Seed 000's fix for the TCN's exploding activations: gradient clipping.
optim_wrapper = dict(clip_grad=dict(max_norm=5, norm_type=2))
