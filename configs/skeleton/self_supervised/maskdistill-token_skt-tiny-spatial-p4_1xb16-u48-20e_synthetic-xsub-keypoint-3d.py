# Pretraining, seed 003's spatial encoder + patches (4 frames) & mask tokens.
# CPU variant: width 64, 4 heads, 20 epochs on the synthetic NTU-25 3D set.
# No labels: the model reads none (data_samples are ignored) and there is no
# validation. See docs/self_supervised.md.
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/maskdistill_skt_nturgbd.py',
    '../../_base_/datasets/synthetic-xsub-keypoint-3d_skt-u48.py',
    '../../_base_/schedules/adamw_ssl-pretrain-400e.py'
]
model = dict(
    backbone=dict(
        clip_len=48, embed_dims=64, num_heads=4,
        patch_size=4, mode='spatial'),
    predictor=dict(embed_dims=64, num_heads=4),
    mask_mode='token')
max_epochs = 20
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=2,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=1e-5, by_epoch=True, begin=2,
         end=max_epochs, T_max=max_epochs - 2, convert_to_iter_based=True)
]
train_dataloader = dict(batch_size=16)
auto_scale_lr = dict(base_batch_size=16)
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
default_hooks = dict(
    checkpoint=dict(interval=5, save_best=None, max_keep_ckpts=2))
