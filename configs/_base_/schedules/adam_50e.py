# Seed 000's sequence-model schedule: Adam, lr 1e-3, 50 epochs, batches of
# 64; the weight decay of its regularised LSTM. Cosine decay after a
# one-epoch warm-up.
max_epochs = 50
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_begin=1,
    val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, begin=1,
         end=max_epochs, T_max=max_epochs - 1, convert_to_iter_based=True)
]
optim_wrapper = dict(
    optimizer=dict(type='Adam', lr=1e-3, weight_decay=1e-4))
auto_scale_lr = dict(enable=False, base_batch_size=64)
