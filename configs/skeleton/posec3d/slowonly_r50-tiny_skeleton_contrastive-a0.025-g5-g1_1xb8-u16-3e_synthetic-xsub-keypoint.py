# The demo's contrastive model: seed 001's C_Sk_2 (skeleton input, noise alpha
# 0.025, gamma1 5, gamma2 1) CPU-sized, three epochs at the supervised
# schedule's late rate. `make demo` starts it from the supervised skeleton
# model's epoch 9 (`--cfg-options load_from=...`), which plays the role of
# seed 001's `sup_thresh` (epochs of cross-entropy only).
_base_ = ('./slowonly_r50-tiny_skeleton_contrastive-a0.025-g5-g1_1xb8-u16-12e_'
          'synthetic-xsub-keypoint.py')
train_cfg = dict(max_epochs=3, val_begin=3)
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, begin=0, end=3,
         T_max=3, convert_to_iter_based=True)
]
optim_wrapper = dict(optimizer=dict(lr=0.001))
