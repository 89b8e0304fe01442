# Seed 001's future work: the contrastive PoseC3D with labels on 10 % of the
# training clips (chosen by a hash of frame_dir), cross-entropy on those only,
# and the contrastive terms on all clips.
_base_ = './slowonly_r50_contrastive-a0.025-g5-g1_8xb16-u24-150e_ntu60-xsub-keypoint.py'
model = dict(labeled_key='labeled')
train_dataloader = dict(
    dataset=dict(pipeline={{_base_.train_pipeline_2view_semi}}))
