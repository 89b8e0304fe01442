# Seed 002's fine-tuning: the Kinetics-400 3D ResNeXt-101 (load_from) on
# falling / running / walking videos, stem and first three stages frozen,
# SGD from lr 0.01, x0.1 at epochs 15 and 25 (the seed's "LR steps"), online
# augmentation (ClipAugment, mode 'some') and weighted cross-entropy
# (ClassBalanceHook, inverse class frequency). Lists as mmaction2's
# VideoDataset reads them: "relative/path.mp4 label" per line, labels
# 0 fall, 1 run, 2 walk. Remove the hook for plain cross-entropy.
#   python tools/train.py THIS_CONFIG \
#       --cfg-options load_from=work_dirs/k400/best_acc_top1_epoch_N.pth
_base_ = [
    './resnext3d-101_8xb32-u16-100e_kinetics400-rgb.py'
]
load_from = 'work_dirs/resnext3d-101_8xb32-u16-100e_kinetics400-rgb/best.pth'
data_root = 'data/fall_run_walk/videos'
classes = ('fall', 'run', 'walk')
model = dict(
    backbone=dict(frozen_stages=3),
    cls_head=dict(num_classes=3))

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=16, frame_interval=1, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='RandomCrop', size=112),
    dict(type='ClipAugment', mode='some', seed=0),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=16, frame_interval=1, num_clips=1,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='CenterCrop', crop_size=112),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
dataset = dict(type='VideoDataset', data_prefix=dict(video=data_root),
               metainfo=dict(classes=classes))
train_dataloader = dict(
    batch_size=16,
    dataset=dict(**dataset, ann_file='data/fall_run_walk/train_list.txt',
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    dataset=dict(**dataset, ann_file='data/fall_run_walk/test_list.txt',
                 pipeline=val_pipeline, test_mode=True))
test_dataloader = val_dataloader
val_evaluator = [dict(type='ClassReportMetric', topk=(1, ))]
test_evaluator = val_evaluator

max_epochs = 30
train_cfg = dict(max_epochs=max_epochs, val_begin=1, val_interval=1)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[15, 25], gamma=0.1)
]
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-3))
custom_hooks = [dict(type='ClassBalanceHook', weighting='inverse')]
