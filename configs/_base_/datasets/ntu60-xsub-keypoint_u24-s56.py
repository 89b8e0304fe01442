# NTU RGB+D 60 cross-subject, HRNet 2D keypoints (mmaction2's ntu60_2d.pkl),
# as seed 001 uses it: 24 frames per clip in a 56 x 56 frame, rendered as one
# of its three PoseC3D inputs (docs/posec3d_inputs.md):
# - heatmaps: 17 x 24 x 56 x 56 (train_pipeline, val_pipeline);
# - grayscale: the 17 heatmaps of a frame merged, 1 x 24 x 56 x 56
#   (`pose_target_gray`; backbone in_channels=1);
# - skeleton: 2 persons x 17 joints x (x, y) as channels, 68 x 24 x 1 x 1
#   (*_skeleton; backbone in_channels=68).
dataset_type = 'CheckedPoseDataset'
ann_file = 'data/skeleton/ntu60_2d.pkl'
num_classes = 60
left_kp = [1, 3, 5, 7, 9, 11, 13, 15]
right_kp = [2, 4, 6, 8, 10, 12, 14, 16]
clip_len = 24
# Heatmap and grayscale inputs are rendered for the whole batch by the model's
# data preprocessor (docs/pose_target.md): their pipelines end with
# PackPoseInputs and the model sets `data_preprocessor=pose_target` (or
# `pose_target_gray`, which merges each frame's 17 heatmaps as MergeHeatmaps
# does).
pose_target = dict(type='PoseTargetDataPreprocessor', sigma=0.6,
                   use_score=True, with_kp=True, with_limb=False)
pose_target_gray = dict(pose_target, merge='max')

# Sampling, decoding and geometry, shared by the three inputs.
train_geometry = [
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='PoseCompact', hw_ratio=1., allow_imgpad=True),
    dict(type='Resize', scale=(-1, 64)),
    dict(type='RandomResizedCrop', area_range=(0.56, 1.0)),
    dict(type='Resize', scale=(56, 56), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5, left_kp=left_kp, right_kp=right_kp),
]
val_geometry = [
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1,
         test_mode=True),
    dict(type='PoseDecode'),
    dict(type='PoseCompact', hw_ratio=1., allow_imgpad=True),
    dict(type='Resize', scale=(-1, 64)),
    dict(type='CenterCrop', crop_size=64),
    dict(type='Resize', scale=(56, 56), keep_ratio=False),
]
# Each input, from the keypoints of the 56 x 56 frame.
pack_pose = dict(type='PackPoseInputs')
skeleton_input = [
    dict(type='FormatSkeletonVolume', num_persons=2, num_keypoints=17)
]
pack = dict(type='PackActionInputs')

train_pipeline = [*train_geometry, pack_pose]
val_pipeline = [*val_geometry, pack_pose]
test_pipeline = val_pipeline
train_pipeline_skeleton = [*train_geometry, *skeleton_input, pack]
val_pipeline_skeleton = [*val_geometry, *skeleton_input, pack]

# Two-view training (the contrastive and noise-augmentation models), after
# the noise: a config puts its own
# `dict(type='KeypointNoise', corruption='gaussian', level=ALPHA,
#       scale='seed001', two_views=True)`
# in front, so that, as in seed 001, the noise is added to the raw keypoints
# of the whole clip before frame sampling. KeypointNoise appends the noisy
# keypoints as extra persons, so the crop, resize and flip treat both views
# alike; the views are stacked on the clip axis (clean first): inputs are
# (2, C, 24, H, W) per sample. PackPoseInputs packs each view's keypoints as
# a clip (heatmap and grayscale inputs), ForEachView formats each view's
# skeleton volume.
train_views = train_pipeline
train_views_skeleton = [
    *train_geometry,
    dict(type='ForEachView', transforms=skeleton_input), pack
]
# Semi-supervised runs (seed 001's future work) put
# `dict(type='MarkLabeled', fraction=F, seed=0)` first and pack the flag:
pack_labeled = dict(
    type='PackActionInputs',
    meta_keys=('img_shape', 'img_key', 'video_id', 'timestamp', 'labeled'))
pack_pose_labeled = dict(
    type='PackPoseInputs',
    meta_keys=('img_shape', 'num_clips', 'clip_len', 'frame_dir', 'img_key',
               'video_id', 'timestamp', 'labeled'))

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
