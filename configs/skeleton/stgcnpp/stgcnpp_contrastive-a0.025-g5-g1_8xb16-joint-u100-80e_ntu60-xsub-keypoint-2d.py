# ST-GCN++ with seed 001's contrastive objective (alpha 0.025, gamma1 5,
# gamma2 1): the GCN counterpart of configs/poseconv3d_contrastive.py.
_base_ = './stgcnpp_8xb16-joint-u100-80e_ntu60-xsub-keypoint-2d.py'
model = dict(
    type='ContrastiveRecognizerGCN',
    contrastive_loss=dict(
        type='ViewContrastiveLoss', temperature=0.1, loss_weight_inst=5.0,
        loss_weight_group=1.0),
    proj_channels=128)
train_dataloader = dict(
    dataset=dict(dataset=dict(pipeline={{_base_.train_pipeline_2view}})))
