# The synthetic NTU-25 3D set for the skeleton transformer, made by
#   python tools/data/make_synthetic.py --layout nturgb+d \
#       --out data/synthetic/synthetic_3d.pkl
# Seed 000's normalisation, then seed 003's random temporal crop (50-100 %)
# resized to 48 frames (the whole clip in test). Level-0 KeypointNoise fixes
# the sweep's scale (the body's size).
dataset_type = 'CheckedPoseDataset'
ann_file = 'data/synthetic/synthetic_3d.pkl'
num_classes = 13
clip_len = 48

normalize = [
    dict(type='PadNullFrames', mode='last'),
    dict(type='CenterSkeleton', joint=1),
    dict(type='AlignSkeleton', z_axis=(0, 1), x_axis=(4, 8))
]
train_pipeline = normalize + [
    dict(type='TemporalCropResize', clip_len=clip_len, crop_ratio=(0.5, 1.0)),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs')
]
val_pipeline = normalize + [
    dict(type='KeypointNoise', level=0.0, scale='body'),
    dict(type='TemporalCropResize', clip_len=clip_len, crop_ratio=(1.0, 1.0),
         test_mode=True),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type, ann_file=ann_file, split='xsub_train',
        num_classes=num_classes, num_keypoints=25,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type, ann_file=ann_file, split='xsub_val',
        num_classes=num_classes, num_keypoints=25, pipeline=val_pipeline,
        test_mode=True))
test_dataloader = val_dataloader
val_evaluator = [dict(type='ClassReportMetric', topk=(1, 5))]
test_evaluator = val_evaluator
