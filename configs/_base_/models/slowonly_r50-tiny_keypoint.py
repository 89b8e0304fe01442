# PoseC3D sized for 2 CPU cores: seed 001's SlowOnly design
# (slowonly_r50_keypoint.py) with half the width and 2 blocks per stage
# (0.3M parameters for 17 x 16 x 32 x 32 heatmap volumes). Written out rather
# than inherited, so that the demo's configs stay within three _base_ levels.
model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='ResNet3dSlowOnly',
        depth=50,
        pretrained=None,
        in_channels=17,
        base_channels=16,
        num_stages=3,
        out_indices=(2, ),
        stage_blocks=(2, 2, 2),
        conv1_stride_s=1,
        pool1_stride_s=1,
        inflate=(0, 1, 1),
        spatial_strides=(2, 2, 2),
        temporal_strides=(1, 1, 2),
        dilations=(1, 1, 1)),
    cls_head=dict(
        type='I3DHead',
        in_channels=256,
        num_classes=60,
        dropout_ratio=0.5,
        average_clips='prob'))
