# PoseC3D on bast-base, fine-tuned from an NTU60 PoseC3D checkpoint (seed 004:
# transfer learning lifts top-1 from 95.9 % to 96.3-97.4 %). The default path
# is what our NTU60 config writes; mmaction2's model-zoo checkpoint of the
# same model works too (--cfg-options load_from=URL). The classifier's shape
# differs (60 vs 9 classes): it is skipped with a warning and trained anew.
_base_ = './slowonly_r50_8xb16-u48-120e_bast-base-keypoint.py'
load_from = ('work_dirs/slowonly_r50_8xb16-u48-240e_ntu60-xsub-keypoint/'
             'epoch_24.pth')
optim_wrapper = dict(optimizer=dict(lr=0.02))
