# ST-GCN++ (joint) on NTU60 X-Sub 2D keypoints: mmaction2's recipe, read
# through CheckedPoseDataset. Pure skeleton input (17 joints x (x, y, score)).
_base_ = [
    '../../_base_/default_runtime.py', '../../_base_/models/stgcnpp_coco.py',
    '../../_base_/datasets/ntu60-xsub-keypoint-2d_gcn-u100.py'
]
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=16, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, T_max=16, by_epoch=True,
         convert_to_iter_based=True)
]
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0005,
                   nesterov=True))
default_hooks = dict(checkpoint=dict(interval=1), logger=dict(interval=100))
auto_scale_lr = dict(enable=False, base_batch_size=128)
