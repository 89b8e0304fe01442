# Hara et al.'s 3D ResNeXt-101 (cardinality 32) for 16 x 112 x 112 RGB clips,
# with mmaction2's I3DHead (global average pool and a linear layer, as Hara's
# avgpool + fc). 48.3 M parameters with 400 classes.
model = dict(
    type='Recognizer3D',
    backbone=dict(type='ResNeXt3d', depth=101, cardinality=32,
                  bottleneck_width=4),
    cls_head=dict(
        type='I3DHead',
        in_channels=2048,
        num_classes=400,
        spatial_type='avg',
        dropout_ratio=0.5,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[114.8, 107.7, 99.6],
        std=[58.4, 57.1, 57.4],
        format_shape='NCTHW'))
