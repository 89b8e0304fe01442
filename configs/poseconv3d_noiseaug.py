# Short alias: PoseC3D (noiseaug) on NTU60 X-Sub 2D keypoints, seed 001's recipe.
_base_ = './skeleton/posec3d/slowonly_r50_noiseaug-a0.025_8xb16-u24-150e_ntu60-xsub-keypoint.py'
