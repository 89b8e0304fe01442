# The CPU PoseC3D on grayscale input: each frame's 17 heatmaps merged into one
# channel (seed 001's "grayscale" input type).
_base_ = './slowonly_r50-tiny_1xb8-u16-12e_synthetic-xsub-keypoint.py'
model = dict(
    backbone=dict(in_channels=1), data_preprocessor=dict(merge='max'))
