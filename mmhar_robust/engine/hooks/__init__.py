"""Hooks: class balancing for training and Grad-CAM during test/validation."""
from .class_balance_hook import ClassBalanceHook

__all__ = ['ClassBalanceHook']
