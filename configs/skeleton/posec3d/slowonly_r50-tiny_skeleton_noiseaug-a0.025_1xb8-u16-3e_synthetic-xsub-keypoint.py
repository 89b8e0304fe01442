# The demo's noise-augmentation ablation (skeleton input, CPU-sized): clean and
# noisy (seed 001's noise, alpha 0.025) views with cross-entropy on both, the
# contrastive model's start and schedule (`make demo` passes load_from).
_base_ = ('./slowonly_r50-tiny_skeleton_noiseaug-a0.025_1xb8-u16-12e_'
          'synthetic-xsub-keypoint.py')
train_cfg = dict(max_epochs=3, val_begin=3)
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, begin=0, end=3,
         T_max=3, convert_to_iter_based=True)
]
optim_wrapper = dict(optimizer=dict(lr=0.001))
