# The fall / run / walk run with seed 002's online augmentation: ClipAugment
# in mode 'some' (a random subset of the seven filters in random order, drawn
# once per clip and epoch), plain cross-entropy.
_base_ = ['./tiny-resnext3d_1xb8-u16-15e_synthetic-fall-run-walk-rgb.py']
clip_len = 16
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len, frame_interval=1,
         num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='ClipAugment', mode='some', seed=0),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
