# A tiny 3D ResNeXt for 2 CPU cores and 32 x 32 clips: Hara's layout (7x7x7
# stem, grouped 3x3x3 bottlenecks, /16 in time and /32 in space) with one
# block per stage, cardinality 8 and 32-256 channels (0.4 M parameters).
model = dict(
    type='Recognizer3D',
    backbone=dict(type='ResNeXt3d', stem_channels=16, base_channels=32,
                  cardinality=8, bottleneck_width=2,
                  stage_blocks=(1, 1, 1, 1)),
    cls_head=dict(
        type='I3DHead',
        in_channels=256,
        num_classes=13,
        spatial_type='avg',
        dropout_ratio=0.3,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[127.5, 127.5, 127.5],
        std=[64.0, 64.0, 64.0],
        format_shape='NCTHW'))
