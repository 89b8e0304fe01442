# A dilated TCN on NTU-25 3D frames (75-value vectors), with the fixes seed
# 000 needed for its exploding activations: batch normalisation after every
# convolution, residual blocks, and gradient clipping (the schedule's
# optim_wrapper.clip_grad, set in the TCN configs).
model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='TCN', in_channels=3, num_joints=25,
        channels=(128, 128, 256, 256), dilations=(1, 2, 4, 8),
        kernel_size=3, dropout=0.2),
    cls_head=dict(type='GCNHead', num_classes=60, in_channels=256,
                  dropout=0.5))
