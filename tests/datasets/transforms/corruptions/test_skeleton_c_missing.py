"""Skeleton-C's missing-data and occlusion corruptions on hand-made 2D and
3D sequences: the joints lost are exactly the ones listed."""
import numpy as np
import pytest

from mmhar_robust.datasets.transforms import KeypointNoise
from mmhar_robust.datasets.transforms.corruptions import (
    get_corruption, limb_dropout, low_confidence, person_missing)

# Written out by hand from RA-GCN's lists (1-based there) and COCO-17.
COCO_PARTS = {
    'left_arm': [5, 7, 9],
    'right_arm': [6, 8, 10],
    'both_hands': [9, 10],
    'legs': [11, 12, 13, 14, 15, 16],
    'trunk': [0, 1, 2, 3, 4],
}
NTU_PARTS = {
    'left_arm': [4, 5, 6, 7, 21, 22],
    'right_arm': [8, 9, 10, 11, 23, 24],
    'both_hands': [6, 7, 10, 11, 21, 22, 23, 24],
    'legs': [12, 13, 14, 15, 16, 17, 18, 19],
    'trunk': [0, 1, 2, 3, 20],
}


def sequence(persons=1, frames=10, joints=17, dims=2, seed=0):
    """Keypoints with no zero coordinate, scores in (0.5, 1]."""
    rng = np.random.default_rng(seed)
    keypoint = rng.uniform(1, 100, (persons, frames, joints,
                                    dims)).astype(np.float32)
    score = rng.uniform(0.5, 1.0, (persons, frames, joints)).astype(
        np.float32)
    return keypoint, score


def run(name, keypoint, score, level, seed=0):
    visible = np.ones(keypoint.shape[:3], dtype=bool)
    given = score if score is not None else visible.astype(np.float32)
    return get_corruption(name).fn(keypoint, given, visible, level, 1.0,
                                   np.random.default_rng(seed))


@pytest.mark.parametrize('joints,dims,parts', [(17, 2, COCO_PARTS),
                                               (25, 3, NTU_PARTS)])
def test_occlusion_hides_exactly_the_listed_joints(joints, dims, parts):
    keypoint, score = sequence(persons=2, joints=joints, dims=dims)
    for part, listed in parts.items():
        out, out_score = run(f'occlude_{part}', keypoint, score, 1.0)
        lost = (out_score == 0)
        assert np.flatnonzero(lost.all(axis=(0, 1))).tolist() == listed
        assert not lost.any(axis=(0, 1))[np.setdiff1d(
            np.arange(joints), listed)].any()
        assert (out[lost] == 0).all()
        np.testing.assert_array_equal(out[~lost], keypoint[~lost])


def test_partial_occlusion_is_one_block_of_frames():
    keypoint, score = sequence(frames=10)
    _, out_score = run('occlude_legs', keypoint, score, 0.4)
    frames = np.flatnonzero((out_score[0] == 0).any(axis=1))
    assert len(frames) == 4 and np.ptp(frames) == 3


def test_occlusion_of_an_unknown_layout_is_refused():
    keypoint, score = sequence(joints=18)
    with pytest.raises(ValueError, match='18 joints.*COCO-17.*NTU'):
        run('occlude_trunk', keypoint, score, 1.0)


def test_limb_dropout_loses_whole_limbs():
    keypoint, score = sequence(frames=50, joints=25, dims=3)
    visible = np.ones(keypoint.shape[:3], dtype=bool)
    _, out_score = limb_dropout(keypoint, score, visible, 0.5, 1.0,
                                np.random.default_rng(1))
    lost = out_score[0] == 0
    left_leg = [12, 13, 14, 15]
    # A limb goes as a whole, and only limb joints go (never the trunk).
    assert (lost[:, left_leg].all(1) == lost[:, left_leg].any(1)).all()
    assert 10 < lost[:, left_leg].all(1).sum() < 40
    assert not lost[:, NTU_PARTS['trunk']].any()


def test_person_missing_drops_one_person_and_skips_one_person_clips():
    keypoint, score = sequence(persons=2, frames=10)
    visible = np.ones(keypoint.shape[:3], dtype=bool)
    out, out_score = person_missing(keypoint, score, visible, 1.0, 1.0,
                                    np.random.default_rng(0))
    gone = [(out_score[m] == 0).all() for m in range(2)]
    assert sorted(gone) == [False, True]
    kept = gone.index(False)
    np.testing.assert_array_equal(out[kept], keypoint[kept])
    # The second person absent (zeros, score 0): unchanged, not corrupted.
    alone_score = score.copy()
    alone_score[1] = 0
    alone = keypoint.copy()
    alone[1] = 0
    out, out_score = person_missing(alone, alone_score, alone_score > 0, 1.0,
                                    1.0, np.random.default_rng(0))
    assert out is alone and out_score is alone_score


def test_low_confidence_lowers_scores_and_keeps_coordinates():
    keypoint, score = sequence(frames=40)
    visible = np.ones(keypoint.shape[:3], dtype=bool)
    out, out_score = low_confidence(keypoint, score, visible, 0.5, 1.0,
                                    np.random.default_rng(0))
    assert out is keypoint
    low = out_score != score
    np.testing.assert_allclose(out_score[low], score[low] * 0.1, rtol=1e-6)
    assert 0.4 < low.mean() < 0.6 and (out_score > 0).all()


def test_low_confidence_refuses_keypoints_without_scores():
    keypoint, _ = sequence(joints=25, dims=3)
    noise = KeypointNoise('low_confidence', 0.5, scale='body',
                          test_mode=True)
    with pytest.raises(ValueError, match="'clip'.*low_confidence.*no"):
        noise(dict(keypoint=keypoint, frame_dir='clip'))
