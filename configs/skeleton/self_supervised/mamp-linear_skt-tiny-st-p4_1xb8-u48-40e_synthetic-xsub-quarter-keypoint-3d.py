# Linear probing (frozen encoder, linear head) of the pretraining config
# named in load_from (run it first) on a deterministic quarter of each class
# of the training clips (ClassSubsetSampler, seed 003's quarter). The student
# encoder arrives as backbone.* (a checkpoint of another encoder shape is
# refused, naming the key).
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/skt_nturgbd.py',
    '../../_base_/datasets/synthetic-xsub-keypoint-3d_skt-u48.py',
    '../../_base_/schedules/adamw_ssl-finetune-cpu-40e.py'
]
model = dict(
    backbone=dict(
        clip_len=48, embed_dims=64, num_heads=4,
        patch_size=4, mode='spatiotemporal', frozen=True),
    cls_head=dict(num_classes=13, in_channels=64, dropout=0.0))
train_dataloader = dict(
    sampler=dict(type='ClassSubsetSampler', fraction=0.25, seed=0))
# A linear probe trains one layer: a larger rate, no weight decay.
optim_wrapper = dict(optimizer=dict(lr=0.01, weight_decay=0.0))
load_from = ('work_dirs/'
             'mamp_'
             'skt-tiny-st-p4_'
             '1xb16-u48-20e_'
             'synthetic-xsub-keypoint-3d/epoch_20.pth')
