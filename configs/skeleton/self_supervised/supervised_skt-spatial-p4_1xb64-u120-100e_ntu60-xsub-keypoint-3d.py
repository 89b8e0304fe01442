# Seed 003's supervised baseline: the same transformer (spatial, patches of 4
# frames) trained from scratch with labels.
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/skt_nturgbd.py',
    '../../_base_/datasets/ntu60-xsub-keypoint-3d_skt-u120.py',
    '../../_base_/schedules/adamw_ssl-finetune-100e.py'
]
