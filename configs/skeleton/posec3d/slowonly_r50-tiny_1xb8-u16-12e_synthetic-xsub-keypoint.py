# CPU-sized PoseC3D on the embedded synthetic skeleton set, supervised on clean
# keypoints: `make demo` trains it in minutes on 2 cores (see README).
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/slowonly_r50-tiny_keypoint.py',
    '../../_base_/datasets/synthetic-xsub-keypoint_u16-s32.py',
    '../../_base_/schedules/adamw_cpu-demo.py'
]
# The heatmaps are rendered by the data preprocessor, batch by batch, laid out
# channels-last for the CPU's faster 3D convolutions.
model = dict(
    cls_head=dict(num_classes=13),
    data_preprocessor=_base_.pose_target)

default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=1, max_keep_ckpts=4, save_best='auto'))
env_cfg = dict(dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0)
