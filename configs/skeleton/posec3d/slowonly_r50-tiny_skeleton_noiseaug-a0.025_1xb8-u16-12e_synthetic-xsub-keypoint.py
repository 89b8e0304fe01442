# The CPU skeleton-input PoseC3D's noise-augmentation ablation: clean and
# noisy (seed 001's noise, alpha 0.025) views, cross-entropy on both, no
# contrastive term, from scratch for the supervised model's 12 epochs.
_base_ = './slowonly_r50-tiny_skeleton_1xb8-u16-12e_synthetic-xsub-keypoint.py'
model = dict(
    type='ContrastiveRecognizer3D',
    representation='softmax',
    contrastive_loss=dict(
        type='ViewContrastiveLoss', temperature=0.5, loss_weight_inst=0.0,
        loss_weight_group=0.0),
    cls_on_noisy=True,
    sup_thresh=0)
train_dataloader = dict(dataset=dict(pipeline=[
    dict(type='KeypointNoise', corruption='gaussian', level=0.025,
         scale='seed001', two_views=True),
    *_base_.train_views_skeleton
]))
