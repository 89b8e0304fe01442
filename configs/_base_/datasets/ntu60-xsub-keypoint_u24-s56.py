# NTU RGB+D 60 cross-subject, HRNet 2D keypoints (mmaction2's ntu60_2d.pkl),
# as seed 001 uses it: 24 frames per clip, 17 x 24 x 56 x 56 heatmap volumes.
dataset_type = 'CheckedPoseDataset'
ann_file = 'data/skeleton/ntu60_2d.pkl'
num_classes = 60
left_kp = [1, 3, 5, 7, 9, 11, 13, 15]
right_kp = [2, 4, 6, 8, 10, 12, 14, 16]
clip_len = 24
pose_target = dict(type='FastGeneratePoseTarget', sigma=0.6, use_score=True,
                   with_kp=True, with_limb=False)

train_pipeline = [
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='PoseCompact', hw_ratio=1., allow_imgpad=True),
    dict(type='Resize', scale=(-1, 64)),
    dict(type='RandomResizedCrop', area_range=(0.56, 1.0)),
    dict(type='Resize', scale=(56, 56), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5, left_kp=left_kp, right_kp=right_kp),
    pose_target,
    dict(type='FormatShape', input_format='NCTHW_Heatmap'),
    dict(type='PackActionInputs')
]
# Clean and noisy views for the contrastive and noise-augmentation models
# (see the synthetic dataset base for how the two views stay aligned).
train_noise_level = 0.025
train_pipeline_2view = [
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='KeypointNoise', corruption='gaussian', level=train_noise_level,
         scale='motion', two_views=True),
    dict(type='PoseCompact', hw_ratio=1., allow_imgpad=True),
    dict(type='Resize', scale=(-1, 64)),
    dict(type='RandomResizedCrop', area_range=(0.56, 1.0)),
    dict(type='Resize', scale=(56, 56), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5, left_kp=left_kp, right_kp=right_kp),
    dict(type='ForEachView', transforms=[
        pose_target, dict(type='FormatShape', input_format='NCTHW_Heatmap')
    ]),
    dict(type='PackActionInputs')
]
# Semi-supervised (seed 001's future work): labels kept on a fixed fraction of
# the clips (MarkLabeled), passed to the model in the sample's metainfo.
labeled_fraction = 0.1
train_pipeline_2view_semi = [
    dict(type='MarkLabeled', fraction=labeled_fraction, seed=0),
    *train_pipeline_2view[:-1],
    dict(type='PackActionInputs',
         meta_keys=('img_shape', 'img_key', 'video_id', 'timestamp',
                    'labeled'))
]
val_pipeline = [
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1,
         test_mode=True),
    dict(type='PoseDecode'),
    dict(type='PoseCompact', hw_ratio=1., allow_imgpad=True),
    dict(type='Resize', scale=(-1, 64)),
    dict(type='CenterCrop', crop_size=64),
    dict(type='Resize', scale=(56, 56), keep_ratio=False),
    pose_target,
    dict(type='FormatShape', input_format='NCTHW_Heatmap'),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline
# Grayscale input (seed 001): the 17 heatmaps of a frame merged into one
# channel, right before FormatShape. Use with backbone in_channels=1.
train_pipeline_gray = [*train_pipeline[:-2], dict(type='MergeHeatmaps'),
                       *train_pipeline[-2:]]
val_pipeline_gray = [*val_pipeline[:-2], dict(type='MergeHeatmaps'),
                     *val_pipeline[-2:]]

dataset_args = dict(type=dataset_type, ann_file=ann_file,
                    num_classes=num_classes, num_keypoints=17)
train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(**dataset_args, split='xsub_train', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset_args, split='xsub_val', pipeline=val_pipeline,
                 test_mode=True))
test_dataloader = val_dataloader
val_evaluator = [dict(type='AccMetric')]
test_evaluator = val_evaluator
