# Seed 001's three-stream contrastive PoseC3D, CPU-sized, on the synthetic set:
# cross-entropy on the clean view, instance (gamma1 = 5) and group (gamma2 = 1)
# contrastive losses between clean and noisy (alpha = 0.025) views.
_base_ = './slowonly_r50-tiny_1xb8-u16-6e_synthetic-xsub-keypoint.py'
train_dataloader = dict(dataset=dict(pipeline={{_base_.train_pipeline_2view}}))
model = dict(
    type='ContrastiveRecognizer3D',
    contrastive_loss=dict(
        type='ViewContrastiveLoss', temperature=0.1, loss_weight_inst=5.0,
        loss_weight_group=1.0),
    proj_channels=128,
    sup_thresh=0)
