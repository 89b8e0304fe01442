# PoseC3D on NTU RGB+D 60 cross-subject with HRNet 2D keypoints, as mmaction2's
# slowonly_r50_8xb16-u48-240e_ntu60-xsub-keypoint, reading
# data/skeleton/ntu60_2d.pkl (download it with mmaction2's instructions) through
# CheckedPoseDataset, which names the sample and field of any bad annotation,
# with the heatmaps rendered for the whole batch by PoseTargetDataPreprocessor
# (the same volumes as GeneratePoseTarget; the test pipeline asks for its
# `double` flip test through PackPoseInputs). Written out, not inherited from
# 'mmaction::skeleton/posec3d/...' (which the wheel ships): MMEngine 0.10.7
# resolves a 'mmaction::' base through pkg_resources, which setuptools >= 82
# no longer has, so such a config fails to load, under mmaction2's own
# tools/train.py as well.
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/slowonly_r50_keypoint.py'
]
dataset_type = 'CheckedPoseDataset'
ann_file = 'data/skeleton/ntu60_2d.pkl'
num_classes = 60
left_kp = [1, 3, 5, 7, 9, 11, 13, 15]
right_kp = [2, 4, 6, 8, 10, 12, 14, 16]
model = dict(
    cls_head=dict(num_classes=num_classes),
    data_preprocessor=dict(
        type='PoseTargetDataPreprocessor', sigma=0.6, use_score=True,
        with_kp=True, with_limb=False, left_kp=left_kp, right_kp=right_kp))

train_pipeline = [
    dict(type='UniformSampleFrames', clip_len=48),
    dict(type='PoseDecode'),
    dict(type='PoseCompact', hw_ratio=1., allow_imgpad=True),
    dict(type='Resize', scale=(-1, 64)),
    dict(type='RandomResizedCrop', area_range=(0.56, 1.0)),
    dict(type='Resize', scale=(56, 56), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5, left_kp=left_kp, right_kp=right_kp),
    dict(type='PackPoseInputs')
]
val_pipeline = [
    dict(type='UniformSampleFrames', clip_len=48, num_clips=1,
         test_mode=True),
    dict(type='PoseDecode'),
    dict(type='PoseCompact', hw_ratio=1., allow_imgpad=True),
    dict(type='Resize', scale=(-1, 64)),
    dict(type='CenterCrop', crop_size=64),
    dict(type='PackPoseInputs')
]
test_pipeline = [
    dict(type='UniformSampleFrames', clip_len=48, num_clips=10,
         test_mode=True),
    dict(type='PoseDecode'),
    dict(type='PoseCompact', hw_ratio=1., allow_imgpad=True),
    dict(type='Resize', scale=(-1, 64)),
    dict(type='CenterCrop', crop_size=64),
    dict(type='PackPoseInputs', double=True)
]

dataset_args = dict(
    type=dataset_type, ann_file=ann_file, num_classes=num_classes,
    num_keypoints=17)
train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='RepeatDataset',
        times=10,
        dataset=dict(
            **dataset_args, split='xsub_train', pipeline=train_pipeline)))
val_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        **dataset_args, split='xsub_val', pipeline=val_pipeline,
        test_mode=True))
test_dataloader = dict(
    batch_size=1,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        **dataset_args, split='xsub_val', pipeline=test_pipeline,
        test_mode=True))

val_evaluator = [dict(type='AccMetric')]
test_evaluator = val_evaluator

train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=24, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, T_max=24, by_epoch=True,
         convert_to_iter_based=True)
]
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.2, momentum=0.9, weight_decay=0.0003),
    clip_grad=dict(max_norm=40, norm_type=2))
auto_scale_lr = dict(enable=False, base_batch_size=128)
