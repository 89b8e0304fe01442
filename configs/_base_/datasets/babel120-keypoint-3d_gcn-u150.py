# BABEL-120: BABEL-60's pipelines on the 120-class files.
_base_ = './babel60-keypoint-3d_gcn-u150.py'
train_dataloader = dict(
    dataset=dict(ann_file='data/babel/train_label_120.pkl'))
val_dataloader = dict(dataset=dict(ann_file='data/babel/val_label_120.pkl'))
test_dataloader = val_dataloader
