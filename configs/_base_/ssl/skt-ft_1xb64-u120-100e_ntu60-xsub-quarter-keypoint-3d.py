# Seed 003's downstream setting on NTU60 X-Sub: a quarter of each class of
# the training and validation clips (ClassSubsetSampler, the same clips in
# every run), the transformer at seed 003's size, 100 epochs. The
# fine-tuning and supervised configs set the encoder's mode and patches,
# and load_from.
_base_ = [
    '../default_runtime.py', '../models/skt_nturgbd.py',
    '../datasets/ntu60-xsub-keypoint-3d_skt-u120.py',
    '../schedules/adamw_ssl-finetune-100e.py'
]
train_dataloader = dict(
    sampler=dict(type='ClassSubsetSampler', fraction=0.25, seed=0))
val_dataloader = dict(
    sampler=dict(
        type='ClassSubsetSampler', fraction=0.25, seed=0, shuffle=False))
test_dataloader = val_dataloader
