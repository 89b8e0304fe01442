# Seed 003's supervised baseline: the same transformer (spatial, patches of 4
# frames) trained from scratch with labels on a deterministic quarter of each
# class (ClassSubsetSampler).
_base_ = [
    '../../_base_/ssl/'
    'skt-tiny-ft_1xb8-u48-40e_synthetic-xsub-quarter-keypoint-3d.py'
]
