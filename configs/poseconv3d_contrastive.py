# Short alias: seed 001's best model, C_Sk_2 (80.2 % top-1 at test alpha 0.015
# in its report): the contrastive PoseC3D on pure-skeleton input (68 x 24 x
# 1 x 1), noise alpha 0.025, gamma1 5, gamma2 1, on NTU60 X-Sub 2D keypoints.
# Heatmap and grayscale versions: docs/posec3d_inputs.md.
_base_ = './skeleton/posec3d/slowonly_r50_skeleton_contrastive-a0.025-g5-g1_8xb16-u24-150e_ntu60-xsub-keypoint.py'
