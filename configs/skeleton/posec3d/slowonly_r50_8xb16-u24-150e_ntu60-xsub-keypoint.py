# Seed 001's supervised PoseC3D on NTU60 X-Sub 2D keypoints, heatmap input
# (17 x 24 x 56 x 56): 150 epochs, dropout 0.5, AdamW lr 1e-3. The other
# inputs are slowonly_r50_grayscale_* and slowonly_r50_skeleton_*; the three
# share this backbone (docs/posec3d_inputs.md).
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/slowonly_r50_keypoint.py',
    '../../_base_/datasets/ntu60-xsub-keypoint_u24-s56.py',
    '../../_base_/schedules/adamw_150e.py'
]
model = dict(
    cls_head=dict(num_classes=60, dropout_ratio=0.5),
    data_preprocessor=_base_.pose_target)
default_hooks = dict(checkpoint=dict(interval=5, max_keep_ckpts=3,
                                     save_best='auto'))
