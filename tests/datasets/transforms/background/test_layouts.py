"""Body layouts of the silhouette: NTU-25's bones by joint name, an NTU-25
silhouette checked pixel by pixel, and clear refusals for other layouts."""
import numpy as np
import pytest

import mmhar_robust  # noqa: F401
from mmhar_robust.datasets.transforms.background import (
    COCO17_EDGES, NTU25_EDGES, NTU25_HEAD, NTU25_POLYGONS,
    check_silhouette_layout, layout_of, person_mask)
from mmhar_robust.synthetic.layouts import COCO17, NTU25

# NTU RGB+D's Kinect tree, written by name.
NTU25_BONES = [('pelvis', 'spine_mid'), ('spine_mid', 'chest'),
               ('chest', 'neck'), ('neck', 'head'), ('chest', 'l_shoulder'),
               ('l_shoulder', 'l_elbow'), ('l_elbow', 'l_wrist'),
               ('l_wrist', 'l_hand'), ('l_hand', 'l_handtip'),
               ('l_hand', 'l_thumb'), ('chest', 'r_shoulder'),
               ('r_shoulder', 'r_elbow'), ('r_elbow', 'r_wrist'),
               ('r_wrist', 'r_hand'), ('r_hand', 'r_handtip'),
               ('r_hand', 'r_thumb'), ('pelvis', 'l_hip'), ('l_hip', 'l_knee'),
               ('l_knee', 'l_ankle'), ('l_ankle', 'l_foot'),
               ('pelvis', 'r_hip'), ('r_hip', 'r_knee'), ('r_knee', 'r_ankle'),
               ('r_ankle', 'r_foot')]

# A 40 x 40 NTU-25 figure (x, y), every bone horizontal or vertical.
FIGURE = {
    'pelvis': (20, 24),
    'spine_mid': (20, 18),
    'chest': (20, 12),
    'neck': (20, 9),
    'head': (20, 6),
    'l_shoulder': (24, 12),
    'l_elbow': (28, 12),
    'l_wrist': (32, 12),
    'l_hand': (34, 12),
    'l_handtip': (36, 12),
    'l_thumb': (34, 9),
    'r_shoulder': (16, 12),
    'r_elbow': (12, 12),
    'r_wrist': (8, 12),
    'r_hand': (6, 12),
    'r_handtip': (4, 12),
    'r_thumb': (6, 9),
    'l_hip': (24, 24),
    'l_knee': (24, 30),
    'l_ankle': (24, 35),
    'l_foot': (27, 35),
    'r_hip': (16, 24),
    'r_knee': (16, 30),
    'r_ankle': (16, 35),
    'r_foot': (13, 35)
}


def test_ntu25_bones_by_name():
    by_name = {frozenset((NTU25[i], NTU25[j])) for i, j in NTU25_EDGES}
    assert by_name == {frozenset(b) for b in NTU25_BONES}
    assert len(NTU25_EDGES) == 24  # a tree over 25 joints
    assert [NTU25[i] for i in NTU25_POLYGONS[0]
            ] == ['l_shoulder', 'r_shoulder', 'r_hip', 'l_hip']
    assert [NTU25[i] for i in NTU25_HEAD] == ['head']
    assert {COCO17[i] for e in COCO17_EDGES for i in e} == set(COCO17)
    assert layout_of(17).name == 'coco' and layout_of(25).name == 'nturgb+d'
    assert layout_of(19) is None


def test_ntu25_silhouette_pixel_by_pixel():
    kp = np.array([FIGURE[n] for n in NTU25], np.float64)[None, None]
    mask = person_mask(
        kp, img_shape=(40, 40), mode='silhouette', limb_width=1)[0]
    # By hand: 1-pixel bones, the shoulder-hip rectangle filled.
    expected = np.zeros((40, 40), bool)
    expected[12, 4:37] = True  # both arms, hand tip to hand tip
    expected[6:25, 20] = True  # head to pelvis
    expected[9:13, 34] = expected[9:13, 6] = True  # thumbs
    expected[12:25, 16:25] = True  # torso (and the hips' bones)
    expected[24:36, 24] = expected[24:36, 16] = True  # legs
    expected[35, 24:28] = expected[35, 13:17] = True  # feet
    # Away from the joints (whose discs OpenCV rasterises on its own), the
    # mask is exactly the bones and the torso.
    rows, cols = np.mgrid[:40, :40]
    far = np.ones((40, 40), bool)
    for x, y in FIGURE.values():
        far &= np.maximum(abs(cols - x), abs(rows - y)) > 1
    np.testing.assert_array_equal(mask[far], expected[far])
    assert all(mask[y, x] for x, y in FIGURE.values())
    # No bone joins the thumb to the hand tip, nor the legs below the
    # pelvis.
    assert not mask[11, 35] and not mask[26:34, 18:23].any()


def test_layouts_without_bones_are_refused_by_name():
    with pytest.raises(
            ValueError,
            match="sample x: its keypoint has 19 "
            r"joints.*coco \(17\), nturgb\+d \(25\).*edges"):
        check_silhouette_layout(19, None, 'sample x')
    with pytest.raises(ValueError, match=r'sample x: edge \(0, 19\)'):
        check_silhouette_layout(19, [(0, 1), (0, 19)], 'sample x')
    check_silhouette_layout(19, [(0, 1)], 'sample x')
    check_silhouette_layout(25, None, 'sample x')
