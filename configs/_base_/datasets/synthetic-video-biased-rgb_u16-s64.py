# The synthetic videos (tools/data/make_synthetic_video.py), biased variant:
# the background gives the class away. 64 x 64 videos read at 32 x 32, 16 of
# 24 frames. The test pipeline does not crop, and Resize scales the keypoints
# too, so a person mask drawn from them lines up with the model's input
# (Grad-CAM reliance).
dataset_type = 'CheckedPoseDataset'
data_root = 'data/synthetic_video/biased'
ann_file = f'{data_root}/annotations.pkl'
clip_len = 16

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len, frame_interval=1,
         num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len, frame_interval=1,
         num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline

dataset_args = dict(type=dataset_type, ann_file=ann_file,
                    data_prefix=dict(video=data_root), num_classes=13)
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(**dataset_args, split='xsub_train', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset_args, split='xsub_val', pipeline=val_pipeline,
                 test_mode=True))
test_dataloader = val_dataloader
val_evaluator = [dict(type='ClassReportMetric', topk=(1, 5))]
test_evaluator = val_evaluator
