# Ablation of the contrastive model: the same clean and noisy (alpha = 0.025)
# views with cross-entropy on both, and no contrastive loss.
_base_ = './slowonly_r50_8xb16-u24-150e_ntu60-xsub-keypoint.py'
model = dict(
    type='ContrastiveRecognizer3D',
    contrastive_loss=dict(
        type='ViewContrastiveLoss', loss_weight_inst=0.0,
        loss_weight_group=0.0),
    cls_on_noisy=True)
train_dataloader = dict(dataset=dict(pipeline={{_base_.train_pipeline_2view}}))
