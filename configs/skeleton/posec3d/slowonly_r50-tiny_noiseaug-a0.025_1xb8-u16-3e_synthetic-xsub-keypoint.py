# The ablation for the contrastive model: the same two views (clean and
# alpha = 0.025 noisy), the same start (the supervised demo model's epoch 9)
# and schedule, cross-entropy on both views, and no contrastive loss.
_base_ = './slowonly_r50-tiny_contrastive-a0.025-g5-g1_1xb8-u16-3e_synthetic-xsub-keypoint.py'
model = dict(
    contrastive_loss=dict(loss_weight_inst=0.0, loss_weight_group=0.0),
    cls_on_noisy=True)
