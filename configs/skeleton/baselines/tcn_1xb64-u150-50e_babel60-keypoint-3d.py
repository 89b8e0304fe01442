# Seed 000's TCN on BABEL-60 (release files, data/babel/; docs/babel.md),
# batches of 64, Adam 1e-3, 50 epochs, plain shuffling.
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/tcn_nturgbd.py',
    '../../_base_/datasets/babel60-keypoint-3d_gcn-u150.py',
    '../../_base_/schedules/adam_50e.py'
]
train_dataloader = dict(batch_size=64)
val_dataloader = dict(batch_size=64)
test_dataloader = val_dataloader
default_hooks = dict(logger=dict(interval=100))
# Seed 000's fix for the TCN's exploding activations: gradient clipping.
optim_wrapper = dict(clip_grad=dict(max_norm=5, norm_type=2))
