# Fine-tuning, linear probing and the supervised transformer on the CPU
# synthetic set: AdamW at 1e-3, weight decay 0.01, 2 warm-up epochs then
# cosine decay over 40 epochs (520 steps of 8 quarter clips; 12 epochs left
# the loss at 2.0 of ln 13 = 2.56), one validation at the end.
max_epochs = 40
warmup_epochs = 2
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_begin=max_epochs,
    val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0,
         end=warmup_epochs, convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True,
         begin=warmup_epochs, end=max_epochs,
         T_max=max_epochs - warmup_epochs, convert_to_iter_based=True)
]
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=0.001, weight_decay=0.01),
    clip_grad=dict(max_norm=40, norm_type=2))
auto_scale_lr = dict(enable=False, base_batch_size=8)
