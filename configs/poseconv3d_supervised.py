# Short alias: the supervised counterpart of configs/poseconv3d_contrastive.py
# (seed 001's C_Sk_2): PoseC3D on pure-skeleton input, NTU60 X-Sub 2D.
_base_ = './skeleton/posec3d/slowonly_r50_skeleton_8xb16-u24-150e_ntu60-xsub-keypoint.py'
