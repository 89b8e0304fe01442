# MotionBERT's action model (Zhu et al., ICCV 2023) as a RecognizerGCN: the
# released DSTformer (dim_feat 512, mlp_ratio 2, depth 5, 8 heads, dim_rep 512,
# 243 frames; 42.5 M parameters) and its classification head (17 x 512 ->
# 2048 -> classes). Inputs (N, 1, M=2, T, 17, 3): H36M-ordered (x, y, score).
model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='DSTformer',
        dim_in=3,
        dim_out=3,
        dim_feat=512,
        dim_rep=512,
        depth=5,
        num_heads=8,
        mlp_ratio=2,
        num_joints=17,
        maxlen=243),
    cls_head=dict(
        type='MotionBERTHead',
        num_classes=60,
        in_channels=512,
        num_joints=17,
        hidden_dim=2048,
        dropout_ratio=0.5))
