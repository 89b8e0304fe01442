# Seed 001's three-stream contrastive PoseC3D, CPU-sized, on the synthetic set:
# cross-entropy on the clean view, instance (gamma1 = 5) and group (gamma2 = 1)
# contrastive losses between clean and noisy (alpha = 0.025) views.
_base_ = './slowonly_r50-tiny_1xb8-u16-12e_synthetic-xsub-keypoint.py'
# Continues the supervised demo model from its epoch 9 (seed 001's `sup_thresh`
# phase of cross-entropy only, shared by the demo's models) for 3 epochs with
# this objective, so that all three demo models get 12 epochs. The default
# path is where `make demo` trains the supervised model.
load_from = 'work_dirs/demo/supervised/epoch_9.pth'
train_cfg = dict(max_epochs=3, val_begin=3)
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, begin=0, end=3,
         T_max=3, convert_to_iter_based=True)
]
# About the supervised schedule's rate at its epoch 9.
optim_wrapper = dict(optimizer=dict(lr=0.001))
train_dataloader = dict(dataset=dict(pipeline={{_base_.train_pipeline_2view}}))
model = dict(
    type='ContrastiveRecognizer3D',
    contrastive_loss=dict(
        type='ViewContrastiveLoss', temperature=0.1, loss_weight_inst=5.0,
        loss_weight_group=1.0),
    proj_channels=128,
    sup_thresh=0)
