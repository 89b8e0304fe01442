# Short alias: the noise-augmentation ablation of
# configs/poseconv3d_contrastive.py (the same clean and alpha 0.025 noisy
# views, cross-entropy on both, no contrastive term), PoseC3D on
# pure-skeleton input, NTU60 X-Sub 2D.
_base_ = './skeleton/posec3d/slowonly_r50_skeleton_noiseaug-a0.025_8xb16-u24-150e_ntu60-xsub-keypoint.py'
