# NTU60 X-Sub 2D keypoints (HRNet, COCO-17) prepared as MotionBERT prepares
# them (lib/data/dataset_action.py): pixels to [-1, 1], H36M joint order, two
# persons, 243 frames (random stretches in training, evenly spaced in test),
# random move and crop-scale 1-3 in training, crop-scale 2 in test.
# `reorder_score`: True maps the scores with their joints; the released
# checkpoints were trained with COCO-ordered scores (MotionBERT issue 132),
# so evaluate those with `reorder_score=False` (docs/motionbert.md).
dataset_type = 'CheckedPoseDataset'
ann_file = 'data/skeleton/ntu60_2d.pkl'
num_classes = 60
clip_len = 243
reorder_score = True

prepare = [
    dict(type='MotionBERTNormalize'),
    dict(type='COCOToH36M', reorder_score=reorder_score),
    dict(type='MotionBERTPersons', num_persons=2)
]
train_views = [
    *prepare,
    dict(type='MotionBERTResample', clip_len=clip_len),
    dict(type='MotionBERTRandomMove'),
    dict(type='MotionBERTCropScale', scale_range=(1, 3)),
    dict(type='MotionBERTFormatInput')
]
train_pipeline = [*train_views, dict(type='PackActionInputs')]
# Seed 001's two views: its noise on the raw pixels (a config puts
# KeypointNoise(..., two_views=True) in front), each view prepared alike.
train_pipeline_2view = [
    dict(type='ForEachView', transforms=train_views),
    dict(type='PackActionInputs')
]
val_pipeline = [
    *prepare,
    dict(type='MotionBERTResample', clip_len=clip_len, test_mode=True),
    dict(type='MotionBERTCropScale', scale_range=(2, 2)),
    dict(type='MotionBERTFormatInput'),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline

dataset_args = dict(type=dataset_type, ann_file=ann_file,
                    num_classes=num_classes, num_keypoints=17)
train_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(**dataset_args, split='xsub_train', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset_args, split='xsub_val', pipeline=val_pipeline,
                 test_mode=True))
test_dataloader = val_dataloader
val_evaluator = [dict(type='AccMetric')]
test_evaluator = val_evaluator
