# Seed 001's contrastive objective on grayscale input, C_Sk_2's setting:
# alpha 0.025 (raw keypoints, before frame sampling), cross-entropy on the
# clean view, gamma1 = 5 x instance and gamma2 = 1 x group NT-Xent
# (temperature 0.5) between the clean and noisy softmax outputs.
_base_ = './slowonly_r50_grayscale_8xb16-u24-150e_ntu60-xsub-keypoint.py'
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
    *_base_.train_views
]))
