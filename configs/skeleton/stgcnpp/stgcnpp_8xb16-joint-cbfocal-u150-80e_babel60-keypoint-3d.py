# ST-GCN++ on BABEL-60 with BABEL's class-balanced focal loss (Cui et al.
# 2019). ClassBalanceHook fills the loss's per-class counts from the training
# split before training starts.
_base_ = './stgcnpp_8xb16-joint-u150-80e_babel60-keypoint-3d.py'
model = dict(
    cls_head=dict(
        loss_cls=dict(type='CBFocalLoss', beta=0.9999, gamma=2.0)))
custom_hooks = [dict(type='ClassBalanceHook')]
