# PoseC3D: a SlowOnly ResNet3d over 17-channel keypoint heatmap volumes
# (mmaction2's slowonly_r50_8xb16-u48-240e_ntu60-xsub-keypoint model). It is
# also seed 001's backbone for its three inputs, with in_channels 17
# (heatmaps), 1 (grayscale) or 68 (skeleton, a 1 x 1 spatial map that the
# stride-2 convolutions keep at 1 x 1): built from seed 001's own ResNet3d
# source with the same weights, it has the same parameters and gives the same
# output (docs/posec3d_inputs.md).
model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='ResNet3dSlowOnly',
        depth=50,
        pretrained=None,
        in_channels=17,
        base_channels=32,
        num_stages=3,
        out_indices=(2, ),
        stage_blocks=(4, 6, 3),
        conv1_stride_s=1,
        pool1_stride_s=1,
        inflate=(0, 1, 1),
        spatial_strides=(2, 2, 2),
        temporal_strides=(1, 1, 2),
        dilations=(1, 1, 1)),
    cls_head=dict(
        type='I3DHead',
        in_channels=512,
        num_classes=60,
        dropout_ratio=0.5,
        average_clips='prob'))
