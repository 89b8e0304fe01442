# Seed 002's task on the synthetic videos: fall / run / walk with falls 10 %
# of the clips (tools/data/make_synthetic_video.py --task fall-run-walk
# --variant unbiased), read as mmaction2 VideoDataset lists
# ("videos/NAME.mp4 label"; 0 fall, 1 run, 2 walk), the format of the real
# set in the ResNeXt-101 fine-tuning config. 64 x 64 videos read at 32 x 32,
# 16 of 24 frames, no augmentation (the ClipAugment configs add it).
# ClassReportMetric logs per-class precision / recall / F1 (docs/realtime.md).
dataset_type = 'VideoDataset'
data_root = 'data/synthetic_fall_run_walk/unbiased'
classes = ('fall', 'run', 'walk')
clip_len = 16

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len, frame_interval=1,
         num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
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

dataset_args = dict(type=dataset_type, data_prefix=dict(video=data_root),
                    metainfo=dict(classes=classes))
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(**dataset_args, ann_file=f'{data_root}/train_list.txt',
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset_args, ann_file=f'{data_root}/val_list.txt',
                 pipeline=val_pipeline, test_mode=True))
test_dataloader = val_dataloader
val_evaluator = [
    dict(type='ClassReportMetric', topk=(1, ), log_per_class=True)
]
test_evaluator = val_evaluator
