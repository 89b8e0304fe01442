# Short alias: PoseC3D (contrastive) on NTU60 X-Sub 2D keypoints, seed 001's recipe.
_base_ = './skeleton/posec3d/slowonly_r50_contrastive-a0.025-g5-g1_8xb16-u24-150e_ntu60-xsub-keypoint.py'
