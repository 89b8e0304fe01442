# Seed 003's skeleton transformer (5 layers, width 256, 8 heads; here
# spatial attention over segments of 4 frames) with a linear head
# (mmaction2's GCNHead pools the (N, M, 256, T/4, V) features), on NTU-25
# 3D joints. Fine-tuning configs set load_from to a pretraining checkpoint;
# its student encoder is `backbone.*` there too.
model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='SkeletonTransformer', in_channels=3, num_joints=25,
        clip_len=120, patch_size=4, embed_dims=256, depth=5, num_heads=8,
        mlp_ratio=4.0, mode='spatial', dropout=0.0),
    cls_head=dict(type='GCNHead', num_classes=60, in_channels=256,
                  dropout=0.5))
