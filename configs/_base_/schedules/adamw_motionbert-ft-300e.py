# MotionBERT's fine-tuning schedule (configs/action/MB_ft_NTU60_xsub.yaml):
# AdamW, lr 1e-4 for the backbone and 1e-3 for the head, weight decay 0.01,
# lr x 0.99 after every epoch, 300 epochs, batches of 32.
max_epochs = 300
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_begin=1,
    val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='ExponentialLR', gamma=0.99, by_epoch=True, begin=0,
         end=max_epochs)
]
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-4, weight_decay=0.01),
    paramwise_cfg=dict(custom_keys={'cls_head': dict(lr_mult=10.0)}))
auto_scale_lr = dict(enable=False, base_batch_size=32)
