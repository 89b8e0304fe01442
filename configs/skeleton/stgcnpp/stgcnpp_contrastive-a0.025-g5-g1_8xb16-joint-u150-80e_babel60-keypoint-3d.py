# ST-GCN++ on BABEL-60 with seed 001's contrastive objective (alpha 0.025 of
# the body size, gamma1 5, gamma2 1): clean and noisy views of each chunk.
_base_ = './stgcnpp_8xb16-joint-u150-80e_babel60-keypoint-3d.py'
# Seed 001's objective: the head's softmax probabilities of both views
# contrasted (clean detached), groups from each view's prediction, NT-Xent at
# temperature 0.5. `representation='projection'` is our projected-feature
# variant (docs/contrastive.md).
model = dict(
    type='ContrastiveRecognizerGCN',
    representation='softmax',
    contrastive_loss=dict(
        type='ViewContrastiveLoss', temperature=0.5, loss_weight_inst=5.0,
        loss_weight_group=1.0),
    sup_thresh=0)
train_dataloader = dict(
    dataset=dict(pipeline={{_base_.train_pipeline_2view}}))
