# Fine-tuning of the pretraining config named in load_from (run it first) on
# a deterministic quarter of each class of the training clips
# (ClassSubsetSampler, seed 003's quarter). The student encoder arrives as
# backbone.* (a checkpoint of another encoder shape is refused, naming the
# key).
_base_ = [
    '../../_base_/ssl/'
    'skt-tiny-ft_1xb8-u48-40e_synthetic-xsub-quarter-keypoint-3d.py'
]
model = dict(backbone=dict(patch_size=4, mode='spatiotemporal'))
load_from = ('work_dirs/'
             'mamp_'
             'skt-tiny-st-p4_'
             '1xb16-u48-20e_'
             'synthetic-xsub-keypoint-3d/epoch_20.pth')
