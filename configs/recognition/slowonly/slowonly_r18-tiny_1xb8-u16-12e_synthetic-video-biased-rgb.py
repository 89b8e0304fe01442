# An RGB 3D-CNN on the biased synthetic videos: with background stripping and
# Grad-CAM (docs/background.md, docs/gradcam.md) it shows how much a model
# leans on the background when the background gives the class away (biased)
# and when it does not (unbiased).
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/slowonly_r18-tiny_rgb.py',
    '../../_base_/datasets/synthetic-video-biased-rgb_u16-s64.py',
    '../../_base_/schedules/adamw_cpu-demo.py'
]
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=3))
