"""Skeleton trees and joint pairs for the hand-crafted features.

The joint orders are those of mmaction2's graph layouts (and of
:mod:`mmhar_robust.synthetic.layouts`): ``'nturgb+d'`` is NTU RGB+D's 25
Kinect joints (BABEL and NTU 3D), ``'coco'`` COCO's 17 keypoints (the 2D
sets). The parent tables are the trees of mmaction2's ``Graph`` (its
``inward`` edges, child -> parent), rooted where ``Graph`` puts the centre:
the chest (joint 20) for NTU-25, the nose (joint 0) for COCO-17. The root is
its own parent; it has no bone.

The joint pairs are seed 000's "10-20 selected joint pairs (e.g.
wrist-elbow, head-neck)": segments whose length varies with the pose (a
forearm's does not, but its length keeps the scale of the person; the
others open and close with the action): forearms, hands to the head, the
hands to each other, arms stretched (shoulder to wrist), the knees and the
ankles to each other, legs bent (hip to ankle), hands to hips, elbows to
each other and head to the pelvis (bending over). COCO-17 has no neck,
hands or pelvis: the nose stands for the head, the wrists for the hands and
the left hip for the pelvis.
"""
from typing import Dict, List, Tuple

from ..synthetic.layouts import LAYOUTS

# Joint -> parent, indexed by joint (mmaction2's Graph 'nturgb+d' inward).
NTU25_PARENTS: Tuple[int, ...] = (1, 20, 20, 2, 20, 4, 5, 6, 20, 8, 9, 10, 0,
                                  12, 13, 14, 0, 16, 17, 18, 20, 7, 7, 11, 11)
# Joint -> parent (mmaction2's Graph 'coco' inward).
COCO17_PARENTS: Tuple[int, ...] = (0, 0, 0, 1, 2, 0, 0, 5, 6, 7, 8, 5, 6, 11,
                                   12, 13, 14)

PARENTS: Dict[str, Tuple[int, ...]] = {
    'nturgb+d': NTU25_PARENTS,
    'coco': COCO17_PARENTS
}

# Documented pairs by joint name (names of synthetic/layouts.py).
JOINT_PAIR_NAMES: Dict[str, Tuple[Tuple[str, str], ...]] = {
    'nturgb+d': (
        ('l_wrist', 'l_elbow'), ('r_wrist', 'r_elbow'),  # forearms
        ('l_hand', 'head'), ('r_hand', 'head'),  # hand to head
        ('l_hand', 'r_hand'),  # hands together / apart
        ('head', 'neck'),  # nodding
        ('l_shoulder', 'l_wrist'), ('r_shoulder', 'r_wrist'),  # arm stretch
        ('l_knee', 'r_knee'), ('l_ankle', 'r_ankle'),  # stance, steps
        ('l_hip', 'l_ankle'), ('r_hip', 'r_ankle'),  # legs bent
        ('l_hand', 'l_hip'), ('r_hand', 'r_hip'),  # hands to hips
        ('l_elbow', 'r_elbow'),  # arms spread
        ('head', 'pelvis'),  # bending over
    ),
    'coco': (
        ('l_wrist', 'l_elbow'), ('r_wrist', 'r_elbow'),
        ('l_wrist', 'nose'), ('r_wrist', 'nose'),
        ('l_wrist', 'r_wrist'),
        ('l_shoulder', 'l_wrist'), ('r_shoulder', 'r_wrist'),
        ('l_knee', 'r_knee'), ('l_ankle', 'r_ankle'),
        ('l_hip', 'l_ankle'), ('r_hip', 'r_ankle'),
        ('l_wrist', 'l_hip'), ('r_wrist', 'r_hip'),
        ('l_elbow', 'r_elbow'),
        ('nose', 'l_hip'),
    )
}


def layout_for(num_joints: int) -> str:
    """The layout of a skeleton with ``num_joints`` joints (25: NTU, 17:
    COCO).

    Raises:
        ValueError: No layout has that many joints.
    """
    found = [name for name, joints in LAYOUTS.items()
             if len(joints) == num_joints and name in PARENTS]
    if not found:
        raise ValueError(
            f'no skeleton layout with {num_joints} joints; known: ' +
            ', '.join(f'{n} ({len(LAYOUTS[n])})' for n in sorted(PARENTS)))
    return found[0]


def parents(layout: str) -> Tuple[int, ...]:
    """The parent of each joint of a layout (the root is its own).

    Raises:
        KeyError: The layout has no parent table.
    """
    if layout not in PARENTS:
        raise KeyError(f'layout {layout!r} has no parent table (bone '
                       f'vectors need one); known: {sorted(PARENTS)}')
    return PARENTS[layout]


def joint_pairs(layout: str) -> List[Tuple[int, int]]:
    """The documented joint pairs of a layout, as joint indices.

    Raises:
        KeyError: The layout has no pair list.
    """
    if layout not in JOINT_PAIR_NAMES:
        raise KeyError(f'layout {layout!r} has no joint-pair list; known: '
                       f'{sorted(JOINT_PAIR_NAMES)}')
    names = LAYOUTS[layout]
    return [(names.index(a), names.index(b))
            for a, b in JOINT_PAIR_NAMES[layout]]
