# 2s-AGCN (joint) on BABEL-120 with the class-balanced focal loss, as in the
# BABEL paper (BABEL-60: top-1 33.4, top-1-norm 30.4).
_base_ = './2s-agcn_8xb16-joint-u150-80e_babel120-keypoint-3d.py'
model = dict(
    cls_head=dict(
        loss_cls=dict(type='CBFocalLoss', beta=0.9999, gamma=2.0)))
custom_hooks = [dict(type='ClassBalanceHook')]
