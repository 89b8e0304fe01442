# Seed 001's grayscale PoseC3D on NTU60 X-Sub: the 17 heatmaps of a frame
# merged into one 56 x 56 channel.
_base_ = './slowonly_r50_8xb16-u24-150e_ntu60-xsub-keypoint.py'
model = dict(backbone=dict(in_channels=1))
train_dataloader = dict(dataset=dict(pipeline={{_base_.train_pipeline_gray}}))
val_dataloader = dict(dataset=dict(pipeline={{_base_.val_pipeline_gray}}))
test_dataloader = val_dataloader
