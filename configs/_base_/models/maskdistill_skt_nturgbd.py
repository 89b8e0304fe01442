# Seed 003's student-teacher masked pretraining (MaskedSkeletonDistiller):
# the student encoder (`backbone`) sees masked joints and frames, a 3-layer
# predictor regresses the EMA teacher's features at the masked tokens. The
# variants of seed 003's Table 1 change patch_size, mask_mode and decoder
# (docs/self_supervised.md). Masks: 25 % of the time segments and 40 % of
# the joints of each segment (about 55 % of the tokens). No decoder unless a
# variant adds one (`decoder=dict(...)`).
model = dict(
    type='MaskedSkeletonDistiller',
    backbone=dict(
        type='SkeletonTransformer', in_channels=3, num_joints=25,
        clip_len=120, patch_size=4, embed_dims=256, depth=5, num_heads=8,
        mlp_ratio=4.0, mode='spatial', dropout=0.0),
    predictor=dict(embed_dims=256, depth=3, num_heads=8),
    mask_mode='token',
    masking='random',
    frame_mask_ratio=0.25,
    joint_mask_ratio=0.4,
    teacher_momentum=0.996,
    norm_target=True,
    reconstruct='coords',
    reconstruct_on='all',
    seed=0)
