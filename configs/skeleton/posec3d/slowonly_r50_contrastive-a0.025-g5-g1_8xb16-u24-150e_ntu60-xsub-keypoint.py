# Seed 001's best contrastive PoseC3D (C_Sk_2): noise alpha = 0.025,
# gamma1 = 5 (instance), gamma2 = 1 (group), sup_thresh = 0, on NTU60 X-Sub.
# Alias: configs/poseconv3d_contrastive.py.
_base_ = './slowonly_r50_8xb16-u24-150e_ntu60-xsub-keypoint.py'
model = dict(
    type='ContrastiveRecognizer3D',
    contrastive_loss=dict(
        type='ViewContrastiveLoss', temperature=0.1, loss_weight_inst=5.0,
        loss_weight_group=1.0),
    proj_channels=128,
    sup_thresh=0)
train_dataloader = dict(dataset=dict(pipeline={{_base_.train_pipeline_2view}}))
