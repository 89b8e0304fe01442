# Seed 001's three-stream contrastive PoseC3D (heatmap input), CPU-sized, on
# the synthetic set: cross-entropy on the clean view, gamma1 = 5 x instance and
# gamma2 = 1 x group NT-Xent (temperature 0.5) on the softmax outputs of the
# clean (detached) and noisy (seed 001's noise, alpha 0.025) views.
# Three epochs at the supervised schedule's late rate: meant to continue a
# supervised model (the demo passes `--cfg-options load_from=...`, playing the
# role of seed 001's `sup_thresh`); from scratch it is only a short run.
_base_ = './slowonly_r50-tiny_1xb8-u16-12e_synthetic-xsub-keypoint.py'
train_cfg = dict(max_epochs=3, val_begin=3)
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, begin=0, end=3,
         T_max=3, convert_to_iter_based=True)
]
optim_wrapper = dict(optimizer=dict(lr=0.001))
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline_2view))
model = dict(
    type='ContrastiveRecognizer3D',
    representation='softmax',
    contrastive_loss=dict(
        type='ViewContrastiveLoss', temperature=0.5, loss_weight_inst=5.0,
        loss_weight_group=1.0),
    sup_thresh=0)
