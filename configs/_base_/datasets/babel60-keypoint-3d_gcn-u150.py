# BABEL-60 from the official release files (data/babel/, see docs/babel.md):
# 5 s chunks of NTU-25 3D joints at 30 fps, one person, all 150 frames.
# The chunks are normalised as in seed 000 (pad null frames, centre on the
# spine, align hip->spine to Z and the shoulders to X); keypoint noise, when
# used, is added after that, in metres in the body frame.
dataset_type = 'BABELDataset'
data_root = 'data/babel'
split_tag = '60'
clip_len = 150

normalize = [
    dict(type='PadNullFrames', mode='last'),
    dict(type='CenterSkeleton', joint=1),
    dict(type='AlignSkeleton', z_axis=(0, 1), x_axis=(4, 8))
]
train_pipeline = normalize + [
    dict(type='GenSkeFeat', dataset='nturgb+d', feats=['j']),
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
# Clean and noisy views for the contrastive objective (seed 001's C_Sk_2).
train_noise_level = 0.025
train_pipeline_2view = normalize + [
    dict(type='KeypointNoise', corruption='gaussian', level=train_noise_level,
         scale='body', two_views=True),
    dict(type='GenSkeFeat', dataset='nturgb+d', feats=['j']),
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='ForEachView', transforms=[
        dict(type='FormatGCNInput', num_person=1)
    ]),
    dict(type='PackActionInputs')
]
# Level 0 is a no-op; it fixes the noise scale (the body's size, in metres)
# for tools/noise_sweep.py, which sets the levels.
val_pipeline = normalize + [
    dict(type='KeypointNoise', level=0.0, scale='body'),
    dict(type='GenSkeFeat', dataset='nturgb+d', feats=['j']),
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1,
         test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline

train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file=f'{data_root}/train_label_{split_tag}.pkl',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=f'{data_root}/val_label_{split_tag}.pkl',
        pipeline=val_pipeline,
        test_mode=True))
test_dataloader = val_dataloader
# BABEL reports top-1, top-5 and top-1-norm (the mean per-class top-1);
# ClassReportMetric adds per-class precision/recall/F1 and the confusion
# matrix (docs/metrics.md).
val_evaluator = [dict(type='ClassReportMetric', topk=(1, 5))]
test_evaluator = val_evaluator
