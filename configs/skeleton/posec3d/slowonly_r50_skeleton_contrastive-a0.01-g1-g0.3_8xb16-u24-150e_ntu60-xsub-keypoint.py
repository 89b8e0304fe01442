# Seed 001's C_Sk_1 (74.7 % top-1 at test alpha 0.015 in its report): the
# skeleton-input contrastive PoseC3D with noise alpha 0.01, gamma1 = 1
# (instance) and gamma2 = 0.3 (group); otherwise as C_Sk_2,
# slowonly_r50_skeleton_contrastive-a0.025-g5-g1_*.
_base_ = './slowonly_r50_skeleton_8xb16-u24-150e_ntu60-xsub-keypoint.py'
model = dict(
    type='ContrastiveRecognizer3D',
    representation='softmax',
    contrastive_loss=dict(
        type='ViewContrastiveLoss', temperature=0.5, loss_weight_inst=1.0,
        loss_weight_group=0.3),
    sup_thresh=0)
train_dataloader = dict(dataset=dict(pipeline=[
    dict(type='KeypointNoise', corruption='gaussian', level=0.01,
         scale='seed001', two_views=True),
    *_base_.train_views_skeleton
]))
