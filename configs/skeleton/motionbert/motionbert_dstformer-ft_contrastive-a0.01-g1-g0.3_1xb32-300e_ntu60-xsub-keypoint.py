# Seed 001's contrastive MotionBERT (C_Sk_MB_4): the fine-tuning recipe with
# seed 001's objective, noise alpha 0.01, gamma1 = 1 (instance), gamma2 = 0.3
# (group), from the first epoch (sup_thresh 0). The noise goes on the raw
# pixels, before MotionBERT's normalisation and frame sampling; both views
# then get the same frames and augmentation (per-sample generators).
_base_ = './motionbert_dstformer-ft_1xb32-300e_ntu60-xsub-keypoint.py'
model = dict(
    type='ContrastiveRecognizerGCN',
    representation='softmax',
    contrastive_loss=dict(
        type='ViewContrastiveLoss', temperature=0.5, loss_weight_inst=1.0,
        loss_weight_group=0.3),
    sup_thresh=0)
train_dataloader = dict(dataset=dict(pipeline=[
    dict(type='KeypointNoise', corruption='gaussian', level=0.01,
         scale='seed001', two_views=True),
    *_base_.train_pipeline_2view
]))
