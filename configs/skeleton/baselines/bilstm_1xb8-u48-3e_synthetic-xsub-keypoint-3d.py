# Bi-LSTM on the synthetic NTU-25 3D set, sized for 2 CPU cores (3 epochs;
# make the set with tools/data/make_synthetic.py --layout nturgb+d).
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/bilstm_nturgbd.py',
    '../../_base_/datasets/synthetic-xsub-keypoint-3d_gcn-u48.py',
    '../../_base_/schedules/adam_50e.py'
]
model = dict(cls_head=dict(num_classes=13))
max_epochs = 3
train_cfg = dict(max_epochs=max_epochs, val_begin=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, begin=1,
         end=max_epochs, T_max=max_epochs - 1, convert_to_iter_based=True)
]
optim_wrapper = dict(optimizer=dict(lr=3e-3))
auto_scale_lr = dict(base_batch_size=8)
