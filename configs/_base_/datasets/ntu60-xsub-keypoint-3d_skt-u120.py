# NTU60 X-Sub 3D joints (mmaction2's ntu60_3d.pkl) for the skeleton
# transformer: 2s-AGCN's normalisation (PreNormalize3D), then seed 003's
# input, a random temporal crop (50-100 % of the clip) resized to 120 frames
# (the whole clip in test), 2 persons. The noise sweep inserts
# KeypointNoise (body scale) before PreNormalize3D.
dataset_type = 'CheckedPoseDataset'
ann_file = 'data/skeleton/ntu60_3d.pkl'
num_classes = 60
clip_len = 120

train_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='TemporalCropResize', clip_len=clip_len, crop_ratio=(0.5, 1.0)),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='TemporalCropResize', clip_len=clip_len, crop_ratio=(1.0, 1.0),
         test_mode=True),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline
train_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type, ann_file=ann_file, split='xsub_train',
        num_classes=num_classes, num_keypoints=25,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type, ann_file=ann_file, split='xsub_val',
        num_classes=num_classes, num_keypoints=25, pipeline=val_pipeline,
        test_mode=True))
test_dataloader = val_dataloader
val_evaluator = [dict(type='ClassReportMetric', topk=(1, 5))]
test_evaluator = val_evaluator
