# Seed 003's supervised baseline: the same transformer (spatial, patches of 4
# frames) trained from scratch with labels on a deterministic quarter of each
# class (ClassSubsetSampler).
_base_ = [
    '../../_base_/ssl/'
    'skt-ft_1xb64-u120-100e_ntu60-xsub-quarter-keypoint-3d.py'
]
