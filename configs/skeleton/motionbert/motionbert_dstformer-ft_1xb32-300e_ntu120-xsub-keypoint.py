# The X-Sub recipe on NTU120 X-Sub, 120 classes. (The release fine-tunes
# NTU120 only for one-shot recognition, with an embedding head; this is the
# plain classification counterpart.)
_base_ = './motionbert_dstformer-ft_1xb32-300e_ntu60-xsub-keypoint.py'
model = dict(cls_head=dict(num_classes=120))
train_dataloader = dict(dataset=dict(
    ann_file='data/skeleton/ntu120_2d.pkl', num_classes=120))
val_dataloader = dict(dataset=dict(
    ann_file='data/skeleton/ntu120_2d.pkl', num_classes=120))
test_dataloader = val_dataloader
