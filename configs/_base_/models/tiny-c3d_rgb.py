# TinyC3D: four conv stages and a global max pool, for 2 CPU cores and
# 32 x 32 RGB clips (0.8 M parameters).
model = dict(
    type='Recognizer3D',
    backbone=dict(type='TinyC3D', in_channels=3,
                  channels=(32, 64, 128, 128)),
    cls_head=dict(
        type='I3DHead',
        in_channels=128,
        num_classes=13,
        dropout_ratio=0.3,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[127.5, 127.5, 127.5],
        std=[64.0, 64.0, 64.0],
        format_shape='NCTHW'))
