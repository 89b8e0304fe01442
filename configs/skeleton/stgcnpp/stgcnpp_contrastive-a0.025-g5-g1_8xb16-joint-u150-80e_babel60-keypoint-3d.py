# ST-GCN++ on BABEL-60 with seed 001's contrastive objective (alpha 0.025 of
# the body size, gamma1 5, gamma2 1): clean and noisy views of each chunk.
_base_ = './stgcnpp_8xb16-joint-u150-80e_babel60-keypoint-3d.py'
model = dict(
    type='ContrastiveRecognizerGCN',
    contrastive_loss=dict(
        type='ViewContrastiveLoss', temperature=0.1, loss_weight_inst=5.0,
        loss_weight_group=1.0),
    proj_channels=128)
train_dataloader = dict(
    dataset=dict(pipeline={{_base_.train_pipeline_2view}}))
