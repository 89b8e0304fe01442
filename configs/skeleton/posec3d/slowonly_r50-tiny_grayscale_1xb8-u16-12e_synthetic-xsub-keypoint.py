# The CPU PoseC3D on grayscale input: each frame's 17 heatmaps merged into one
# channel (seed 001's "grayscale" input type).
_base_ = './slowonly_r50-tiny_1xb8-u16-12e_synthetic-xsub-keypoint.py'
model = dict(backbone=dict(in_channels=1))
train_dataloader = dict(dataset=dict(pipeline={{_base_.train_pipeline_gray}}))
val_dataloader = dict(dataset=dict(pipeline={{_base_.val_pipeline_gray}}))
test_dataloader = val_dataloader
