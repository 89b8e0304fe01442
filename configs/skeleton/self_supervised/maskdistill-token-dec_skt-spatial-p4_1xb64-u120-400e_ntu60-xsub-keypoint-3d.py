# Pretraining, seed 003's full model: spatial encoder + patches & mask tokens
# + a 3-layer decoder reconstructing the coordinates (loss_rec on every
# token, Eq. 2). No labels: the model reads none (data_samples are ignored)
# and there is no validation. See docs/self_supervised.md.
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/maskdistill_skt_nturgbd.py',
    '../../_base_/datasets/ntu60-xsub-keypoint-3d_skt-u120.py',
    '../../_base_/schedules/adamw_ssl-pretrain-400e.py'
]
model = dict(
    backbone=dict(patch_size=4, mode='spatial'),
    mask_mode='token',
    decoder=dict(embed_dims=256, depth=3, num_heads=8))
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
default_hooks = dict(
    checkpoint=dict(interval=50, save_best=None, max_keep_ckpts=2))
