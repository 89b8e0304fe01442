"""Background stripping for RGB pipelines: person masks from keypoints and
the transforms that replace everything else."""
from .fills import FILL_MODES, NOISE_KINDS
from .layouts import (BODY_LAYOUTS, COCO17_EDGES, COCO17_HEAD, COCO17_LAYOUT,
                      COCO17_POLYGONS, NTU25_EDGES, NTU25_HEAD, NTU25_LAYOUT,
                      NTU25_POLYGONS, BodyLayout, check_silhouette_layout,
                      layout_of)
from .person_mask import MASK_MODES, person_mask, valid_joints
from .pose_shape import (RecordPoseShape, check_in_pixels, frame_keypoints,
                         rescale_keypoints)
from .strip_background import StripBackground
from .swap_source import (IMAGE_EXTS, VIDEO_EXTS, plate_sources,
                          resolve_sources)

__all__ = [
    'StripBackground', 'RecordPoseShape', 'person_mask', 'valid_joints',
    'COCO17_EDGES', 'COCO17_POLYGONS', 'COCO17_HEAD', 'NTU25_EDGES',
    'NTU25_POLYGONS', 'NTU25_HEAD', 'COCO17_LAYOUT', 'NTU25_LAYOUT',
    'BodyLayout', 'BODY_LAYOUTS', 'layout_of', 'check_silhouette_layout',
    'MASK_MODES', 'rescale_keypoints', 'frame_keypoints', 'check_in_pixels',
    'FILL_MODES', 'NOISE_KINDS', 'VIDEO_EXTS', 'IMAGE_EXTS', 'resolve_sources',
    'plate_sources'
]
