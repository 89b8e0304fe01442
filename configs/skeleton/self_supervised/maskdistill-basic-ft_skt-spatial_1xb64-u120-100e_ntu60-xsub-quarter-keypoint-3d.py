# Fine-tuning of the pretraining config named in load_from (run it first) on
# a deterministic quarter of each class of the training clips
# (ClassSubsetSampler, seed 003's quarter); the validation clips are a
# quarter too, as seed 003 took a quarter of NTU60 before the X-Sub split.
# The student encoder arrives as backbone.* (a checkpoint of another encoder
# shape is refused, naming the key).
_base_ = [
    '../../_base_/ssl/'
    'skt-ft_1xb64-u120-100e_ntu60-xsub-quarter-keypoint-3d.py'
]
model = dict(backbone=dict(patch_size=1, mode='spatial'))
load_from = ('work_dirs/'
             'maskdistill-basic_'
             'skt-spatial_'
             '1xb64-u120-400e_'
             'ntu60-xsub-keypoint-3d/epoch_400.pth')
