"""Hooks: class balancing for training and Grad-CAM during test/validation."""
from .class_balance_hook import ClassBalanceHook
from .gradcam_hook import GradCAMHook

__all__ = ['ClassBalanceHook', 'GradCAMHook']
