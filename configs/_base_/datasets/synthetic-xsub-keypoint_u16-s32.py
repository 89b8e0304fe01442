# The embedded synthetic skeleton set (tools/data/make_synthetic.py), cross-
# subject split, as 17 x 16 x 32 x 32 keypoint heatmap volumes (rendered by
# the model's data preprocessor) or skeleton volumes.
dataset_type = 'CheckedPoseDataset'
ann_file = 'data/synthetic/synthetic_2d.pkl'
num_classes = 13
left_kp = [1, 3, 5, 7, 9, 11, 13, 15]
right_kp = [2, 4, 6, 8, 10, 12, 14, 16]
clip_len = 16

train_pipeline = [
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='PoseCompact', hw_ratio=1., allow_imgpad=True),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='RandomResizedCrop', area_range=(0.56, 1.0)),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5, left_kp=left_kp, right_kp=right_kp),
    dict(type='PackPoseInputs')
]
# The heatmaps are rendered for the whole batch by the model's data
# preprocessor (docs/pose_target.md): the pipelines end with PackPoseInputs
# and a heatmap model sets `data_preprocessor=pose_target`. The per-sample
# renderer (FastGeneratePoseTarget + FormatShape + PackActionInputs) gives
# the same volumes.
pose_target = dict(type='PoseTargetDataPreprocessor', sigma=0.6,
                   use_score=True, with_kp=True, with_limb=False,
                   channels_last=True)
# Two views per training sample, for the contrastive and noise-augmentation
# models: clean, and corrupted by seed 001's Gaussian keypoint noise
# (scale='seed001', on the raw clip, before frame sampling, as seed 001 does).
# KeypointNoise appends the noisy keypoints as extra persons, so the crop,
# resize and flip treat both views alike; PackPoseInputs packs each view as a
# clip, and the heatmaps become (2, 17, 16, 32, 32) per sample, clean first.
# `train_views` is the part after the noise.
train_noise_level = 0.025
train_noise = dict(type='KeypointNoise', corruption='gaussian',
                   level=train_noise_level, scale='seed001', two_views=True)
train_views = train_pipeline
train_pipeline_2view = [train_noise, *train_views]
val_pipeline = [
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1,
         test_mode=True),
    dict(type='PoseDecode'),
    dict(type='PoseCompact', hw_ratio=1., allow_imgpad=True),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='CenterCrop', crop_size=32),
    dict(type='PackPoseInputs')
]
test_pipeline = val_pipeline
# Grayscale input (seed 001): the 17 heatmaps of a frame merged into one
# channel, by `pose_target` with merge='max' (as MergeHeatmaps does), for
# backbone in_channels=1.

# Skeleton input (seed 001's best model; docs/posec3d_inputs.md): 2 persons
# x 17 joints x (x, y) in the 32 x 32 frame as the channels of a
# 68 x 16 x 1 x 1 volume, for backbone in_channels=68. train_views_skeleton
# is the two-view pipeline after the noise: a config puts its
# `dict(type='KeypointNoise', ..., scale='seed001', two_views=True)` in
# front, on the raw keypoints before frame sampling, as seed 001 does.
skeleton_input = [
    dict(type='FormatSkeletonVolume', num_persons=2, num_keypoints=17)
]
pack = dict(type='PackActionInputs')
train_pipeline_skeleton = [*train_pipeline[:-1], *skeleton_input, pack]
val_pipeline_skeleton = [*val_pipeline[:-1], *skeleton_input, pack]
train_views_skeleton = [
    *train_pipeline[:-1],
    dict(type='ForEachView', transforms=skeleton_input), pack
]

# Batches of 8: on 2 CPU cores a batch of 16 two-view clips (32 volumes)
# falls off a cache cliff (see benchmarks/bench_contrastive_step.py).
# Workers are re-created each epoch (persistent_workers=False): a resumed run
# then equals the uninterrupted one bit for bit (docs/training.md).
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file,
        split='xsub_train',
        num_classes=num_classes,
        num_keypoints=17,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file,
        split='xsub_val',
        num_classes=num_classes,
        num_keypoints=17,
        pipeline=val_pipeline,
        test_mode=True))
test_dataloader = val_dataloader

val_evaluator = [dict(type='AccMetric')]
test_evaluator = val_evaluator
