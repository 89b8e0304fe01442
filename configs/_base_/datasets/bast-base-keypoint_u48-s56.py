# BAST (seed 004) in the format of docs/bast.md, bast-base task: 9 basic
# movements, 10 s clips cut every 5 s inside the annotated segments, COCO-17
# 2D poses rendered as 17 x 48 x 56 x 56 heatmap volumes (PoseC3D).
dataset_type = 'BASTDataset'
data_root = 'data/bast'
task = 'base'
left_kp = [1, 3, 5, 7, 9, 11, 13, 15]
right_kp = [2, 4, 6, 8, 10, 12, 14, 16]
clip_len = 48
# The heatmaps are rendered for the whole batch by the model's data
# preprocessor (docs/pose_target.md): a model sets
# `data_preprocessor=pose_target`; the pipelines end with PackPoseInputs.
pose_target = dict(type='PoseTargetDataPreprocessor', sigma=0.6,
                   use_score=True, with_kp=True, with_limb=False)

train_pipeline = [
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='PoseCompact', hw_ratio=1., allow_imgpad=True),
    dict(type='Resize', scale=(-1, 64)),
    dict(type='RandomResizedCrop', area_range=(0.56, 1.0)),
    dict(type='Resize', scale=(56, 56), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5, left_kp=left_kp, right_kp=right_kp),
    dict(type='PackPoseInputs')
]
val_pipeline = [
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1,
         test_mode=True),
    dict(type='PoseDecode'),
    dict(type='PoseCompact', hw_ratio=1., allow_imgpad=True),
    dict(type='Resize', scale=(-1, 64)),
    dict(type='CenterCrop', crop_size=64),
    dict(type='Resize', scale=(56, 56), keep_ratio=False),
    dict(type='PackPoseInputs')
]
test_pipeline = val_pipeline

# label_file and pose_dir default to the folder above the CSV, so pointing
# ann_file elsewhere moves them along.
bast = dict(type=dataset_type, data_root=data_root, task=task, clip_len=10.0,
            clip_stride=5.0, min_clip_len=2.0)
train_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(**bast, ann_file='annotations/train.csv',
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**bast, ann_file='annotations/val.csv',
                 pipeline=val_pipeline, test_mode=True))
test_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**bast, ann_file='annotations/test.csv',
                 pipeline=test_pipeline, test_mode=True))
# Seed 004 reports top-1/2/3 and mean class accuracy; ClassReportMetric adds
# per-class precision/recall/F1 and the confusion matrix (docs/metrics.md).
val_evaluator = [dict(type='ClassReportMetric', topk=(1, 2, 3))]
test_evaluator = val_evaluator
