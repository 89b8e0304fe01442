# The ablation for the contrastive model: the same two views (clean and
# alpha = 0.025 noisy) and cross-entropy on both, but no contrastive loss.
_base_ = './slowonly_r50-tiny_1xb8-u16-6e_synthetic-xsub-keypoint.py'
train_dataloader = dict(dataset=dict(pipeline={{_base_.train_pipeline_2view}}))
model = dict(
    type='ContrastiveRecognizer3D',
    contrastive_loss=dict(
        type='ViewContrastiveLoss', loss_weight_inst=0.0,
        loss_weight_group=0.0),
    cls_on_noisy=True)
