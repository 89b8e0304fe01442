# Seed 001's future work: the contrastive PoseC3D (heatmap input) with labels
# on 10 % of the training clips (MarkLabeled, by a hash of frame_dir):
# cross-entropy on those only, the contrastive terms on all clips, and no
# label of the other clips used anywhere.
_base_ = './slowonly_r50_contrastive-a0.025-g5-g1_8xb16-u24-150e_ntu60-xsub-keypoint.py'
model = dict(labeled_key='labeled')
train_dataloader = dict(dataset=dict(pipeline=[
    dict(type='MarkLabeled', fraction=0.1, seed=0),
    *_base_.train_dataloader.dataset.pipeline[:-1], _base_.pack_pose_labeled
]))
