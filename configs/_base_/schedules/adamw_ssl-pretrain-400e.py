# Self-supervised pretraining (seed 003, MAMP): AdamW at 1e-3, weight decay
# 0.05, betas (0.9, 0.95), 20 warm-up epochs then cosine decay over 400
# epochs (MAMP's recipe; seed 003 does not give its own). No validation:
# pretraining has no labels (leaf configs set the val/test loaders to None).
max_epochs = 400
warmup_epochs = 20
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0,
         end=warmup_epochs, convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=1e-5, by_epoch=True,
         begin=warmup_epochs, end=max_epochs,
         T_max=max_epochs - warmup_epochs, convert_to_iter_based=True)
]
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=0.001, weight_decay=0.05,
                   betas=(0.9, 0.95)),
    clip_grad=dict(max_norm=5, norm_type=2))
auto_scale_lr = dict(enable=False, base_batch_size=64)
