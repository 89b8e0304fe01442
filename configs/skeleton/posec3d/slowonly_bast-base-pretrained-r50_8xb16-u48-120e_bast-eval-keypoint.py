# PoseC3D on bast-eval fine-tuned from our bast-base model: seed 004's best
# (top-3 77.4 %); pre-training on bast-base also helps the rare classes.
_base_ = './slowonly_r50_8xb16-u48-120e_bast-eval-keypoint.py'
load_from = ('work_dirs/slowonly_ntu60-pretrained-r50_8xb16-u48-120e_'
             'bast-base-keypoint/epoch_120.pth')
optim_wrapper = dict(optimizer=dict(lr=0.02))
