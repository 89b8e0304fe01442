# Seed 001's C_Sk_2 sized for 2 CPU cores: the skeleton-input PoseC3D with
# noise alpha 0.025 on the raw keypoints, cross-entropy on the clean view,
# gamma1 = 5 x instance + gamma2 = 1 x group NT-Xent (temperature 0.5) on
# the softmax outputs, from scratch for the supervised model's 12 epochs.
_base_ = './slowonly_r50-tiny_skeleton_1xb8-u16-12e_synthetic-xsub-keypoint.py'
model = dict(
    type='ContrastiveRecognizer3D',
    representation='softmax',
    contrastive_loss=dict(
        type='ViewContrastiveLoss', temperature=0.5, loss_weight_inst=5.0,
        loss_weight_group=1.0),
    sup_thresh=0)
train_dataloader = dict(dataset=dict(pipeline=[
    dict(type='KeypointNoise', corruption='gaussian', level=0.025,
         scale='seed001', two_views=True),
    *_base_.train_views_skeleton
]))
