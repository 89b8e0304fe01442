from .motionbert_head import MotionBERTHead

__all__ = ['MotionBERTHead']
