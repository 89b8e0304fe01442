# Fine-tuning of the pretraining config named in load_from (run it first) on
# the whole training set. The student encoder arrives as backbone.* (a
# checkpoint of another encoder shape is refused, naming the key).
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/skt_nturgbd.py',
    '../../_base_/datasets/ntu60-xsub-keypoint-3d_skt-u120.py',
    '../../_base_/schedules/adamw_ssl-finetune-100e.py'
]
model = dict(backbone=dict(patch_size=4, mode='spatial'))
load_from = ('work_dirs/'
             'maskdistill-token-dec_'
             'skt-spatial-p4_'
             '1xb64-u120-400e_'
             'ntu60-xsub-keypoint-3d/epoch_400.pth')
