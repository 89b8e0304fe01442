# Seed 003's downstream setting on the CPU synthetic set: the tiny skeleton
# transformer (width 64, 4 heads, 48 frames) with a linear head on 13
# classes, trained 40 epochs on a deterministic quarter of each class of the
# training clips (ClassSubsetSampler), validated on the whole split. The
# fine-tuning, linear-probing and supervised configs set the encoder's mode
# and patches, and load_from.
_base_ = [
    '../default_runtime.py', '../models/skt_nturgbd.py',
    '../datasets/synthetic-xsub-keypoint-3d_skt-u48.py',
    '../schedules/adamw_ssl-finetune-cpu-40e.py'
]
model = dict(
    backbone=dict(clip_len=48, embed_dims=64, num_heads=4),
    cls_head=dict(num_classes=13, in_channels=64))
train_dataloader = dict(
    sampler=dict(type='ClassSubsetSampler', fraction=0.25, seed=0))
