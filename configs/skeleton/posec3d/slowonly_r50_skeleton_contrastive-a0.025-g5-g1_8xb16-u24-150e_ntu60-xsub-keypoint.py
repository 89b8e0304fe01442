# Seed 001's best model, C_Sk_2 (80.2 % top-1 at test alpha 0.015 in its
# report): the skeleton-input PoseC3D with noise alpha 0.025 added to the raw
# keypoints before frame sampling, cross-entropy on the clean view, and
# gamma1 = 5 x instance + gamma2 = 1 x group NT-Xent (temperature 0.5)
# between the softmax outputs of the clean and noisy views, from the first
# epoch (sup_thresh 0). Alias: configs/poseconv3d_contrastive.py.
_base_ = './slowonly_r50_skeleton_8xb16-u24-150e_ntu60-xsub-keypoint.py'
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
