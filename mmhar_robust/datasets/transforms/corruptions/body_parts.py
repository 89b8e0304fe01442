"""Body parts by keypoint layout, for the occlusion, limb and swap
corruptions of Skeleton-C.

A layout is told by the number of joints: 17 is COCO-17 (mmaction2's 2D
HRNet annotations), 25 is NTU RGB+D's Kinect layout. Any other count is
refused: a part cannot be named on joints whose meaning is unknown.

The parts follow RA-GCN's occlusion experiments on NTU (1-based joints there:
left arm 5-8, 22, 23; right arm 9-12, 24, 25; both hands 7, 8, 11, 12, 22-25;
legs 13-20; trunk 1-4, 21). COCO-17 has no hand or spine joints: its hands are
the wrists, and its trunk is the head (nose, eyes, ears), its only axial
joints; shoulders and hips belong to the arms and legs in both layouts.
"""
from typing import Dict, List, Tuple

from ....synthetic.layouts import COCO17, NTU25, flip_pairs

LAYOUT_BY_JOINTS: Dict[int, str] = {17: 'coco', 25: 'nturgb+d'}
_NAMES = {'coco': COCO17, 'nturgb+d': NTU25}


def _side(side: str, names: Tuple[str, ...]) -> Tuple[str, ...]:
    return tuple(f'{side}_{n}' for n in names)


PARTS: Dict[str, Dict[str, Tuple[str, ...]]] = {
    'coco': {
        'left_arm': _side('l', ('shoulder', 'elbow', 'wrist')),
        'right_arm': _side('r', ('shoulder', 'elbow', 'wrist')),
        'both_hands': ('l_wrist', 'r_wrist'),
        'left_leg': _side('l', ('hip', 'knee', 'ankle')),
        'right_leg': _side('r', ('hip', 'knee', 'ankle')),
        'legs': _side('l', ('hip', 'knee', 'ankle')) +
        _side('r', ('hip', 'knee', 'ankle')),
        'trunk': ('nose', 'l_eye', 'r_eye', 'l_ear', 'r_ear'),
    },
    'nturgb+d': {
        'left_arm':
        _side('l', ('shoulder', 'elbow', 'wrist', 'hand', 'handtip',
                    'thumb')),
        'right_arm':
        _side('r', ('shoulder', 'elbow', 'wrist', 'hand', 'handtip',
                    'thumb')),
        'both_hands':
        _side('l', ('wrist', 'hand', 'handtip', 'thumb')) +
        _side('r', ('wrist', 'hand', 'handtip', 'thumb')),
        'left_leg': _side('l', ('hip', 'knee', 'ankle', 'foot')),
        'right_leg': _side('r', ('hip', 'knee', 'ankle', 'foot')),
        'legs': _side('l', ('hip', 'knee', 'ankle', 'foot')) +
        _side('r', ('hip', 'knee', 'ankle', 'foot')),
        'trunk': ('pelvis', 'spine_mid', 'neck', 'head', 'chest'),
    },
}
OCCLUDED_PARTS = ('left_arm', 'right_arm', 'both_hands', 'legs', 'trunk')
LIMBS = ('left_arm', 'right_arm', 'left_leg', 'right_leg')


def layout_of(num_joints: int, what: str = 'this corruption') -> str:
    """The layout of keypoints with ``num_joints`` joints.

    Raises:
        ValueError: The count is not that of a known layout.
    """
    layout = LAYOUT_BY_JOINTS.get(int(num_joints))
    if layout is None:
        raise ValueError(
            f'{what} names body parts, which needs a known keypoint layout; '
            f'got {num_joints} joints, known: 17 (COCO-17) and 25 (NTU '
            'RGB+D)')
    return layout


def part_joints(num_joints: int, part: str,
                what: str = 'this corruption') -> List[int]:
    """The joint indices of ``part`` in the layout of ``num_joints`` joints,
    sorted."""
    layout = layout_of(num_joints, what)
    if part not in PARTS[layout]:
        raise ValueError(f'unknown body part {part!r}; choose from '
                         f'{sorted(PARTS[layout])}')
    names = _NAMES[layout]
    return sorted(names.index(n) for n in PARTS[layout][part])


def left_right(num_joints: int,
               what: str = 'this corruption') -> Tuple[List[int], List[int]]:
    """The left joints and their right counterparts of the layout."""
    return flip_pairs(layout_of(num_joints, what))
