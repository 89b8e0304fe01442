# The ablation of the contrastive model (heatmap input, CPU-sized): the same
# clean and noisy (seed 001's noise, alpha 0.025) views and schedule,
# cross-entropy on both views, no contrastive term. Meant to continue a
# supervised model (`--cfg-options load_from=...`), as the demo does.
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
        type='ViewContrastiveLoss', loss_weight_inst=0.0,
        loss_weight_group=0.0),
    cls_on_noisy=True,
    sup_thresh=0)
