"""Grad-CAM for MMAction2 recognizers (RGB 3D CNNs, PoseC3D, GCNs): a thin
layer over pytorch-grad-cam, overlays, and the background-reliance score."""
from .cam_session import CAMResult, CAMSession, compute_cam
from .explain import check_masks, explain_samples
from .layers import candidate_layer_names, default_layer_name, resolve_layer
from .methods import METHODS, get_method, supports_volumes, volume_methods
from .model_wrapper import (ClipLayout, RecognizerScores,
                            channels_last_features, infer_kind)
from .reliance import in_person_fraction, mask_like, summarize, write_report
from .sample_masks import check_mask, person_mask_of
from .views import View, ViewTrace

__all__ = [
    'CAMResult', 'CAMSession', 'compute_cam', 'explain_samples',
    'candidate_layer_names', 'default_layer_name', 'resolve_layer', 'METHODS',
    'get_method', 'supports_volumes', 'volume_methods', 'ClipLayout',
    'RecognizerScores', 'channels_last_features', 'infer_kind',
    'in_person_fraction', 'mask_like', 'summarize', 'write_report',
    'check_mask', 'check_masks', 'person_mask_of', 'View', 'ViewTrace'
]
