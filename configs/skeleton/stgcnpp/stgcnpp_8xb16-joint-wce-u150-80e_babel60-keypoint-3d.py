# ST-GCN++ on BABEL-60 with cross-entropy weighted by inverse class frequency
# (seed 002), the weights computed from the training split by ClassBalanceHook.
_base_ = './stgcnpp_8xb16-joint-u150-80e_babel60-keypoint-3d.py'
custom_hooks = [dict(type='ClassBalanceHook', weighting='inverse')]
