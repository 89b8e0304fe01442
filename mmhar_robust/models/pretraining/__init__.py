"""Seed 003's self-supervised skeleton pretraining (and MAMP's target)."""
from .axis_transformer import AxisTransformer
from .masked_distiller import MaskedSkeletonDistiller, masked_mse
from .masking import motion_aware_mask, random_mask, token_motion
from .skeleton_transformer import SkeletonTransformer
from .token_predictor import TokenPredictor

__all__ = [
    'AxisTransformer', 'MaskedSkeletonDistiller', 'SkeletonTransformer',
    'TokenPredictor', 'masked_mse', 'motion_aware_mask', 'random_mask',
    'token_motion'
]
