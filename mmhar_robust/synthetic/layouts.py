"""Keypoint layouts the generator can write, as selections of body joints."""
from typing import Dict, List, Tuple

from .body import JOINT_INDEX

# COCO-17, the order of mmaction2's NTU60-2D HRNet annotations.
COCO17: Tuple[str, ...] = ('nose', 'l_eye', 'r_eye', 'l_ear', 'r_ear',
                           'l_shoulder', 'r_shoulder', 'l_elbow', 'r_elbow',
                           'l_wrist', 'r_wrist', 'l_hip', 'r_hip', 'l_knee',
                           'r_knee', 'l_ankle', 'r_ankle')

# NTU RGB+D 25 Kinect joints (0-based here; NTU's documentation counts from 1).
NTU25: Tuple[str,
             ...] = ('pelvis', 'spine_mid', 'neck', 'head', 'l_shoulder',
                     'l_elbow', 'l_wrist', 'l_hand', 'r_shoulder', 'r_elbow',
                     'r_wrist', 'r_hand', 'l_hip', 'l_knee', 'l_ankle',
                     'l_foot', 'r_hip', 'r_knee', 'r_ankle', 'r_foot', 'chest',
                     'l_handtip', 'l_thumb', 'r_handtip', 'r_thumb')

LAYOUTS: Dict[str, Tuple[str, ...]] = {'coco': COCO17, 'nturgb+d': NTU25}


def layout_indices(layout: str) -> List[int]:
    """Indices into :data:`~.body.JOINTS` of a layout's keypoints, in order.

    Args:
        layout (str): ``'coco'`` (17 joints) or ``'nturgb+d'`` (25 joints), the
            names mmaction2's graph configs use.
    """
    if layout not in LAYOUTS:
        raise ValueError(f'unknown keypoint layout {layout!r}; '
                         f'choose from {sorted(LAYOUTS)}')
    return [JOINT_INDEX[name] for name in LAYOUTS[layout]]


def flip_pairs(layout: str) -> Tuple[List[int], List[int]]:
    """Left and right keypoint indices of a layout (for ``Flip``)."""
    names = LAYOUTS[layout]
    left = [i for i, n in enumerate(names) if n.startswith('l_')]
    right = [names.index('r_' + names[i][2:]) for i in left]
    return left, right
