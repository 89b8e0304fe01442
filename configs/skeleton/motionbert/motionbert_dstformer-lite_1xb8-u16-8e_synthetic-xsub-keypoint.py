# MotionBERT-Lite for 2 CPU cores, trained from scratch on the synthetic set:
# the release's Lite width (dim_feat 256, mlp_ratio 4) with 1 dual-stream
# layer, a 256-wide representation, a 512-wide head and 16-frame clips (the
# CPU PoseC3D's), 8 epochs. Two layers of 32 frames cost about 8 s a step
# on 2 cores (each step is ~40 GFLOP of attention and MLPs over 2 x 32 x 17
# tokens a clip); this size keeps a training within a quarter of an hour.
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/dstformer_motionbert.py',
    '../../_base_/datasets/synthetic-xsub-keypoint_u16-s32.py',
    '../../_base_/schedules/adamw_cpu-demo.py'
]
clip_len = 16
model = dict(
    backbone=dict(dim_feat=256, mlp_ratio=4, depth=1, dim_rep=256,
                  maxlen=clip_len),
    cls_head=dict(num_classes=13, in_channels=256, hidden_dim=512))
prepare = [
    dict(type='MotionBERTNormalize'),
    dict(type='COCOToH36M'),
    dict(type='MotionBERTPersons', num_persons=2)
]
train_dataloader = dict(dataset=dict(pipeline=[
    *prepare,
    dict(type='MotionBERTResample', clip_len=clip_len, maxlen=clip_len),
    dict(type='MotionBERTRandomMove'),
    dict(type='MotionBERTCropScale', scale_range=(1, 3)),
    dict(type='MotionBERTFormatInput'),
    dict(type='PackActionInputs')
]))
val_dataloader = dict(dataset=dict(pipeline=[
    *prepare,
    dict(type='MotionBERTResample', clip_len=clip_len, maxlen=clip_len,
         test_mode=True),
    dict(type='MotionBERTCropScale', scale_range=(2, 2)),
    dict(type='MotionBERTFormatInput'),
    dict(type='PackActionInputs')
]))
test_dataloader = val_dataloader
optim_wrapper = dict(optimizer=dict(lr=5e-4))
max_epochs = 8
train_cfg = dict(max_epochs=max_epochs, val_begin=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, begin=1,
         end=max_epochs, T_max=max_epochs - 1, convert_to_iter_based=True)
]

default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=1, max_keep_ckpts=4, save_best='auto'))
env_cfg = dict(dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0)
