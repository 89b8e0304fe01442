# Ablation of the contrastive model: the same clean and noisy (alpha = 0.025)
# views with cross-entropy on both, and no contrastive loss.
_base_ = './slowonly_r50_contrastive-a0.025-g5-g1_8xb16-u24-150e_ntu60-xsub-keypoint.py'
model = dict(
    contrastive_loss=dict(loss_weight_inst=0.0, loss_weight_group=0.0),
    cls_on_noisy=True)
