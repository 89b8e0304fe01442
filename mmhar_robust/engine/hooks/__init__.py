"""Hooks: class balancing, epoch-keyed noise and random states saved for an
exact resume in training, Grad-CAM during test/validation."""
from .class_balance_hook import ClassBalanceHook
from .gradcam_hook import GradCAMHook
from .keypoint_noise_epoch_hook import KeypointNoiseEpochHook
from .random_state_hook import RandomStateHook

__all__ = [
    'ClassBalanceHook', 'GradCAMHook', 'KeypointNoiseEpochHook',
    'RandomStateHook'
]
