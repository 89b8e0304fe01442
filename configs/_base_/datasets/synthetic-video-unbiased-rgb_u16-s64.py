# The synthetic videos, unbiased variant: the same clips on backgrounds drawn
# independently of the class, so only the person gives the class away.
_base_ = './synthetic-video-biased-rgb_u16-s64.py'
data_root = 'data/synthetic_video/unbiased'
train_dataloader = dict(
    dataset=dict(ann_file=f'{data_root}/annotations.pkl',
                 data_prefix=dict(video=data_root)))
val_dataloader = dict(
    dataset=dict(ann_file=f'{data_root}/annotations.pkl',
                 data_prefix=dict(video=data_root)))
test_dataloader = val_dataloader
