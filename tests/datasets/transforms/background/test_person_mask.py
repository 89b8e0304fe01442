import numpy as np
import pytest

import mmhar_robust  # noqa: F401  (patches before mmaction imports)
from mmhar_robust.datasets.transforms.background.person_mask import (
    COCO17_EDGES, MASK_MODES, person_mask, valid_joints)

# A standing COCO-17 figure (x, y in pixels): x spans 33..67, y 18..110.
FIGURE = np.array([[50, 20], [48, 18], [52, 18], [45, 19], [55, 19], [40, 35],
                   [60, 35], [35, 50], [65, 50], [33, 65], [67, 65], [44, 70],
                   [56, 70], [44, 90], [56, 90], [44, 110], [56, 110]],
                  dtype=np.float64)
SHAPE = (130, 100)


def figure(dx: float = 0.0, frames: int = 1) -> np.ndarray:
    """One person, ``(1, frames, 17, 2)``, shifted right by ``dx``."""
    kp = FIGURE + [dx, 0.0]
    return np.repeat(kp[None, None], frames, axis=1)


def rectangle(rows, cols, shape=SHAPE) -> np.ndarray:
    out = np.zeros(shape, dtype=bool)
    out[rows[0]:rows[1] + 1, cols[0]:cols[1] + 1] = True
    return out


def test_box_is_the_enlarged_keypoint_rectangle():
    # Longer side 92 px (y 18..110): every side moves out by 9.2 px, so
    # pixel centres x in [23.8, 76.2] and y in [8.8, 119.2].
    mask = person_mask(figure(), img_shape=SHAPE, mode='box', margin=0.1)
    assert mask.shape == (1, ) + SHAPE and mask.dtype == bool
    np.testing.assert_array_equal(mask[0], rectangle((9, 119), (24, 76)))
    tight = person_mask(figure(), img_shape=SHAPE, margin=0.0)
    np.testing.assert_array_equal(tight[0], rectangle((18, 110), (33, 67)))


def test_box_is_clipped_to_the_frame():
    mask = person_mask(figure(dx=-40), img_shape=SHAPE, margin=0.1)
    np.testing.assert_array_equal(mask[0], rectangle((9, 119), (0, 36)))
    gone = person_mask(figure(dx=-300), img_shape=SHAPE)
    assert not gone.any()


def test_silhouette_lies_inside_the_box_and_covers_every_limb():
    box = person_mask(figure(), img_shape=SHAPE, mode='box')
    body = person_mask(figure(), img_shape=SHAPE, mode='silhouette')
    assert not (body & ~box).any()
    for a, b in COCO17_EDGES:
        x, y = np.round((FIGURE[a] + FIGURE[b]) / 2).astype(int)
        assert body[0, y, x], (a, b)
    # The gap between the legs and the space beside the torso stay empty.
    assert not body[0, 100, 50] and not body[0, 100, 30]
    assert body.sum() < 0.7 * box.sum()


def test_silhouette_fills_the_torso_and_the_head():
    body = person_mask(figure(), img_shape=SHAPE, mode='silhouette')[0]
    assert body[52, 50]  # torso centre, far from any edge line
    assert body[14, 50]  # above the eyes: the head disc
    thin = person_mask(
        figure(), img_shape=SHAPE, mode='silhouette', limb_width=2)[0]
    assert thin.sum() < body.sum() and not (thin & ~body).any()


@pytest.mark.parametrize('mode', MASK_MODES)
def test_union_of_two_persons(mode):
    one = person_mask(figure(), img_shape=(130, 200), mode=mode)
    two = person_mask(figure(dx=100), img_shape=(130, 200), mode=mode)
    both = person_mask(
        np.concatenate([figure(), figure(dx=100)]),
        img_shape=(130, 200),
        mode=mode)
    np.testing.assert_array_equal(both, one | two)
    assert both.sum() == one.sum() + two.sum()  # disjoint here


@pytest.mark.parametrize('mode', MASK_MODES)
def test_invalid_joints_are_ignored(mode):
    reference = person_mask(figure(), img_shape=SHAPE, mode=mode)
    kp = np.concatenate([figure(), figure()], axis=2)  # 34 joints
    score = np.ones(kp.shape[:-1])
    kp[0, 0, 17] = 0.0  # missing: at the origin
    kp[0, 0, 18] = [95, 125]  # low score
    score[0, 0, 18] = 0.3
    kp[0, 0, 19] = [np.nan, 5]
    kp[0, 0, 20] = [np.inf, 5]
    edges = COCO17_EDGES if mode == 'silhouette' else None
    mask = person_mask(
        kp, score, img_shape=SHAPE, mode=mode, score_thr=0.3, edges=edges)
    if mode == 'box':
        np.testing.assert_array_equal(mask, reference)
    else:  # without the torso polygon and head disc of the default layout
        assert not mask[0, 120:, 80:].any() and not mask[0, :8].any()
        assert mask.sum() > 0
    valid = valid_joints(kp, score, score_thr=0.3)
    assert not valid[0, 0, 17:21].any() and valid[0, 0, :17].all()


def test_score_at_threshold_is_ignored_and_above_kept():
    score = np.full((1, 1, 17), 0.5)
    assert not person_mask(
        figure(), score, img_shape=SHAPE, score_thr=0.5).any()
    assert person_mask(figure(), score, img_shape=SHAPE, score_thr=0.4).any()


@pytest.mark.parametrize('mode', MASK_MODES)
def test_person_without_valid_joints_adds_nothing(mode):
    kp = np.concatenate([figure(frames=2), np.zeros((1, 2, 17, 2))])
    score = np.ones(kp.shape[:-1])
    score[0, 1] = 0.0  # the first person is not seen in frame 1
    mask = person_mask(kp, score, img_shape=SHAPE, mode=mode)
    alone = person_mask(figure(), img_shape=SHAPE, mode=mode)
    np.testing.assert_array_equal(mask[0], alone[0])
    assert not mask[1].any()


def test_other_layouts_need_edges_for_the_silhouette():
    kp = np.array([[[[20, 10], [20, 30], [10, 50], [30, 50], [20, 70]]]],
                  dtype=float)
    assert person_mask(kp, img_shape=(80, 40)).any()
    with pytest.raises(ValueError, match='5 joints.*edges'):
        person_mask(kp, img_shape=(80, 40), mode='silhouette')
    body = person_mask(
        kp,
        img_shape=(80, 40),
        mode='silhouette',
        edges=[(0, 1), (1, 2), (1, 3), (1, 4)],
        head=[0],
        limb_width=3)
    assert body[0, 20, 20] and body[0, 60, 20] and not body[0, 70, 5]
    with pytest.raises(ValueError, match='outside'):
        person_mask(kp, img_shape=(80, 40), mode='silhouette', edges=[(0, 5)])


def test_bad_input_raises_clear_errors():
    with pytest.raises(ValueError, match=r'\(M, T, V, 2\).*\(1, 17, 2\)'):
        person_mask(FIGURE[None], img_shape=SHAPE)
    with pytest.raises(ValueError, match='keypoint_score has shape'):
        person_mask(figure(), np.ones((1, 1, 16)), img_shape=SHAPE)
    with pytest.raises(ValueError, match="'box', 'silhouette'"):
        person_mask(figure(), img_shape=SHAPE, mode='outline')
    with pytest.raises(ValueError, match='margin'):
        person_mask(figure(), img_shape=SHAPE, margin=-0.1)
    with pytest.raises(ValueError, match='img_shape'):
        person_mask(figure(), img_shape=(0, 10))
    with pytest.raises(ValueError, match='limb_width'):
        person_mask(figure(), img_shape=SHAPE, limb_width=0)
