"""Hooks: class balancing and epoch-keyed noise for training, Grad-CAM during
test/validation."""
from .class_balance_hook import ClassBalanceHook
from .gradcam_hook import GradCAMHook
from .keypoint_noise_epoch_hook import KeypointNoiseEpochHook

__all__ = ['ClassBalanceHook', 'GradCAMHook', 'KeypointNoiseEpochHook']
