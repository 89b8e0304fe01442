# As the X-Sub recipe, on the cross-view split
# (configs/action/MB_ft_NTU60_xview.yaml).
_base_ = './motionbert_dstformer-ft_1xb32-300e_ntu60-xsub-keypoint.py'
train_dataloader = dict(dataset=dict(split='xview_train'))
val_dataloader = dict(dataset=dict(split='xview_val'))
test_dataloader = val_dataloader
