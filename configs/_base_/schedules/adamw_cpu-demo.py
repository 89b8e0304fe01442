# The CPU demo schedule: AdamW with one warm-up epoch and cosine decay. AdamW
# converges in the few hundred steps a CPU run affords; SGD at the NTU recipe's
# scaled rate was still near chance after 5 epochs on the synthetic set.
# Twelve epochs of batches of 8 (about 4 700 clips seen) and one validation at
# the end keep `make demo` (three models and a nine-level noise sweep) within
# 15 minutes on 2 CPU cores.
max_epochs = 12
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_begin=max_epochs,
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
    optimizer=dict(type='AdamW', lr=0.003, weight_decay=0.01),
    clip_grad=dict(max_norm=40, norm_type=2))
auto_scale_lr = dict(enable=False, base_batch_size=8)
