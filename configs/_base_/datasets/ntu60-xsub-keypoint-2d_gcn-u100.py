# NTU60 X-Sub 2D keypoints for GCNs: joint coordinates and scores, 100 frames.
dataset_type = 'CheckedPoseDataset'
ann_file = 'data/skeleton/ntu60_2d.pkl'
num_classes = 60
clip_len = 100

train_pipeline = [
    dict(type='PreNormalize2D'),
    dict(type='GenSkeFeat', dataset='coco', feats=['j']),
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs')
]
# Clean and noisy views: seed 001's noise is added to the raw clip in pixels
# (before PreNormalize2D and frame sampling), and each view is formatted
# separately, then stacked on the clip axis.
train_noise_level = 0.025
train_pipeline_2view = [
    dict(type='KeypointNoise', corruption='gaussian', level=train_noise_level,
         scale='seed001', two_views=True),
    dict(type='PreNormalize2D'),
    dict(type='GenSkeFeat', dataset='coco', feats=['j']),
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='ForEachView', transforms=[
        dict(type='FormatGCNInput', num_person=2)
    ]),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='PreNormalize2D'),
    dict(type='GenSkeFeat', dataset='coco', feats=['j']),
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1,
         test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline

dataset_args = dict(type=dataset_type, ann_file=ann_file,
                    num_classes=num_classes, num_keypoints=17)
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='RepeatDataset',
        times=5,
        dataset=dict(**dataset_args, split='xsub_train',
                     pipeline=train_pipeline)))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset_args, split='xsub_val', pipeline=val_pipeline,
                 test_mode=True))
test_dataloader = val_dataloader
val_evaluator = [dict(type='AccMetric')]
test_evaluator = val_evaluator
