"""Background stripping for RGB pipelines: person masks from keypoints and
the transforms that replace everything else."""
from .fills import FILL_MODES, NOISE_KINDS
from .person_mask import (COCO17_EDGES, COCO17_HEAD, COCO17_POLYGONS,
                          MASK_MODES, person_mask, valid_joints)
from .pose_shape import RecordPoseShape
from .strip_background import StripBackground
from .swap_source import IMAGE_EXTS, VIDEO_EXTS, resolve_sources

__all__ = [
    'StripBackground', 'RecordPoseShape', 'person_mask', 'valid_joints',
    'COCO17_EDGES', 'COCO17_POLYGONS', 'COCO17_HEAD', 'MASK_MODES',
    'FILL_MODES', 'NOISE_KINDS', 'VIDEO_EXTS', 'IMAGE_EXTS', 'resolve_sources'
]
