# MotionBERT-Lite for 2 CPU cores, trained from scratch on the synthetic set:
# the release's Lite width (dim_feat 256, mlp_ratio 4) with 2 dual-stream
# layers, a 256-wide representation, a 512-wide head and 32-frame clips.
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/dstformer_motionbert.py',
    '../../_base_/datasets/synthetic-xsub-keypoint_u16-s32.py',
    '../../_base_/schedules/adamw_cpu-demo.py'
]
clip_len = 32
model = dict(
    backbone=dict(dim_feat=256, mlp_ratio=4, depth=2, dim_rep=256,
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

default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=1, max_keep_ckpts=4, save_best='auto'))
env_cfg = dict(dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0)
