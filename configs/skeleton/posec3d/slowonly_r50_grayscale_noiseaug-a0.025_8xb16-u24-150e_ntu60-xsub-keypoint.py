# Ablation of the contrastive model on grayscale input: clean and noisy
# views (seed 001's noise, alpha 0.025), cross-entropy on both, no
# contrastive term.
_base_ = './slowonly_r50_grayscale_8xb16-u24-150e_ntu60-xsub-keypoint.py'
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
    *_base_.train_views
]))
