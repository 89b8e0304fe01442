# PoseC3D sized for 2 CPU cores: the same SlowOnly design with half the width
# and 2 blocks per stage (0.3M parameters; about 1 s per batch of 16 clips of
# 17 x 16 x 32 x 32 for forward and backward on 2 cores).
_base_ = './slowonly_r50_keypoint.py'
model = dict(
    backbone=dict(base_channels=16, stage_blocks=(2, 2, 2)),
    cls_head=dict(in_channels=256))
