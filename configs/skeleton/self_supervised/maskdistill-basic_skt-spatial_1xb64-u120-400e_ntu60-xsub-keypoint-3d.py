# Pretraining, seed 003's basic spatial encoder: every frame embedded, masked
# coordinates set to 0, no mask tokens, no decoder. No labels: the model
# reads none (data_samples are ignored) and there is no validation. See
# docs/self_supervised.md.
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/maskdistill_skt_nturgbd.py',
    '../../_base_/datasets/ntu60-xsub-keypoint-3d_skt-u120.py',
    '../../_base_/schedules/adamw_ssl-pretrain-400e.py'
]
model = dict(
    backbone=dict(patch_size=1, mode='spatial'),
    mask_mode='zero')
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
default_hooks = dict(
    checkpoint=dict(interval=50, save_best=None, max_keep_ckpts=2))
