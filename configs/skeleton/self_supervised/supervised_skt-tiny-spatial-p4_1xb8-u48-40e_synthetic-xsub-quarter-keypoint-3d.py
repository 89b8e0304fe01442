# Seed 003's supervised baseline: the same transformer (spatial, patches of 4
# frames) trained from scratch with labels on a deterministic quarter of each
# class (ClassSubsetSampler).
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/skt_nturgbd.py',
    '../../_base_/datasets/synthetic-xsub-keypoint-3d_skt-u48.py',
    '../../_base_/schedules/adamw_ssl-finetune-cpu-40e.py'
]
model = dict(
    backbone=dict(clip_len=48, embed_dims=64, num_heads=4),
    cls_head=dict(num_classes=13, in_channels=64))
train_dataloader = dict(
    sampler=dict(type='ClassSubsetSampler', fraction=0.25, seed=0))
