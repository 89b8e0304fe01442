"""Body layouts a silhouette is drawn with: the bones, the filled torso and
the head joints of each keypoint layout the toolkit knows.

The joint orders are those of :mod:`mmhar_robust.synthetic.layouts`
(COCO-17 as mmaction2's HRNet 2D annotations, NTU RGB+D's 25 Kinect joints
counted from 0); a layout is recognised by its number of joints.
"""
from typing import NamedTuple, Optional, Sequence, Tuple

Edge = Tuple[int, int]


class BodyLayout(NamedTuple):
    """What a silhouette draws for one keypoint layout.

    Attributes:
        name (str): The layout's name in mmaction2's graph configs.
        num_joints (int): Joints per person.
        edges (tuple): Bones, as joint pairs.
        polygons (tuple): Joint cycles filled (the torso).
        head (tuple): Joints covered by one head disc.
    """
    name: str
    num_joints: int
    edges: Tuple[Edge, ...]
    polygons: Tuple[Tuple[int, ...], ...]
    head: Tuple[int, ...]


# COCO-17 limbs, including ear-shoulder edges so the neck joins head and
# torso; the torso is the shoulder-hip quadrilateral; the face joints (nose,
# eyes, ears) get the head disc.
COCO17_EDGES = ((0, 1), (0, 2), (1, 3), (2, 4), (3, 5), (4, 6), (5, 6), (5, 7),
                (7, 9), (6, 8), (8, 10), (5, 11), (6, 12), (11, 12), (11, 13),
                (13, 15), (12, 14), (14, 16))
COCO17_POLYGONS: Tuple[Tuple[int, ...], ...] = ((5, 6, 12, 11), )
COCO17_HEAD: Tuple[int, ...] = (0, 1, 2, 3, 4)

# NTU RGB+D 25: the Kinect skeleton tree (pelvis 0, spine_mid 1, neck 2,
# head 3, left arm 4-7, right arm 8-11, left leg 12-15, right leg 16-19,
# chest 20, left hand tip 21 and thumb 22, right hand tip 23 and thumb 24).
# Hand tips and thumbs hang off the hand, as in the Kinect SDK; the torso is
# the shoulder-hip quadrilateral; the head joint alone gets the head disc
# (one joint: its radius is the limb width).
NTU25_EDGES = ((0, 1), (1, 20), (20, 2), (2, 3), (20, 4), (4, 5), (5, 6),
               (6, 7), (7, 21), (7, 22), (20, 8), (8, 9), (9, 10), (10, 11),
               (11, 23), (11, 24), (0, 12), (12, 13), (13, 14), (14, 15),
               (0, 16), (16, 17), (17, 18), (18, 19))
NTU25_POLYGONS: Tuple[Tuple[int, ...], ...] = ((4, 8, 16, 12), )
NTU25_HEAD: Tuple[int, ...] = (3, )

COCO17_LAYOUT = BodyLayout('coco', 17, COCO17_EDGES, COCO17_POLYGONS,
                           COCO17_HEAD)
NTU25_LAYOUT = BodyLayout('nturgb+d', 25, NTU25_EDGES, NTU25_POLYGONS,
                          NTU25_HEAD)
BODY_LAYOUTS: Tuple[BodyLayout, ...] = (COCO17_LAYOUT, NTU25_LAYOUT)


def layout_of(num_joints: int) -> Optional[BodyLayout]:
    """The built-in layout with ``num_joints`` joints, or None."""
    for layout in BODY_LAYOUTS:
        if layout.num_joints == num_joints:
            return layout
    return None


def check_silhouette_layout(num_joints: int, edges: Optional[Sequence[Edge]],
                            sample: str) -> None:
    """Refuse a silhouette that could not be drawn, before any work.

    Args:
        num_joints (int): Joints per person of the sample's keypoints.
        edges (Sequence[tuple], optional): Bones given by the user.
        sample (str): The sample's name, for the message.

    Raises:
        ValueError: naming the sample, when ``edges`` is None and no
            built-in layout has ``num_joints`` joints, or when an edge names
            a joint outside ``[0, num_joints)``.
    """
    if edges is None:
        if layout_of(num_joints) is None:
            known = ', '.join(f'{layout.name} ({layout.num_joints})'
                              for layout in BODY_LAYOUTS)
            raise ValueError(
                f'{sample}: its keypoint has {num_joints} joints, which '
                f'match no built-in layout ({known}); a silhouette needs the '
                'bones: give edges (joint pairs), or use the box mask')
        return
    bad = [e for e in edges if not all(0 <= v < num_joints for v in e)]
    if bad:
        raise ValueError(f'{sample}: edge {tuple(bad[0])} names a joint '
                         f'outside the keypoint\'s {num_joints} joints')
