"""Skeleton-C's temporal and pose-estimator corruptions: the frames kept are
the documented ones, a swap swaps, a switch switches, a frozen joint stays."""
import numpy as np
import pytest

from mmhar_robust.datasets.transforms.corruptions import (
    block_drop, frame_jitter, frozen_joint, identity_switch, limb_swap,
    random_subsample, uniform_subsample)

from test_skeleton_c_missing import sequence


def call(fn, keypoint, score, level, seed=0):
    visible = np.ones(keypoint.shape[:3], dtype=bool)
    return fn(keypoint, score, visible, level, 1.0,
              np.random.default_rng(seed))


def kept_frames(score):
    return np.flatnonzero((score > 0).all(axis=(0, 2))).tolist()


@pytest.mark.parametrize('joints,dims', [(17, 2), (25, 3)])
def test_uniform_subsample_keeps_every_kth_frame_and_the_length(joints, dims):
    keypoint, score = sequence(frames=10, joints=joints, dims=dims)
    out, out_score = call(uniform_subsample, keypoint, score, 3)
    assert out.shape == keypoint.shape
    assert kept_frames(out_score) == [0, 3, 6, 9]
    np.testing.assert_array_equal(out[:, [0, 3, 6, 9]],
                                  keypoint[:, [0, 3, 6, 9]])
    assert (out[:, [1, 2, 4, 5, 7, 8]] == 0).all()


def test_random_subsample_keeps_as_many_frames_as_uniform():
    keypoint, score = sequence(frames=10)
    _, out_score = call(random_subsample, keypoint, score, 3, seed=5)
    assert len(kept_frames(out_score)) == 4
    with pytest.raises(ValueError, match='whole number'):
        call(random_subsample, keypoint, score, 2.5)


def test_block_drop_loses_one_contiguous_block():
    keypoint, score = sequence(frames=10, joints=25, dims=3)
    _, out_score = call(block_drop, keypoint, score, 0.3, seed=2)
    lost = sorted(set(range(10)) - set(kept_frames(out_score)))
    assert len(lost) == 3 and lost[-1] - lost[0] == 2


def test_frame_jitter_shows_frames_at_most_k_away():
    keypoint, score = sequence(frames=30)
    out, _ = call(frame_jitter, keypoint, score, 2, seed=1)
    offsets = []
    for t in range(30):
        source = [s for s in range(30) if np.array_equal(out[:, t],
                                                         keypoint[:, s])]
        assert len(source) == 1
        offsets.append(source[0] - t)
    assert max(map(abs, offsets)) <= 2 and any(offsets)


@pytest.mark.parametrize('joints,dims', [(17, 2), (25, 3)])
def test_limb_swap_swaps_left_and_right(joints, dims):
    keypoint, score = sequence(frames=10, joints=joints, dims=dims)
    left = [1, 3, 5, 7, 9, 11, 13, 15] if joints == 17 else [
        4, 5, 6, 7, 12, 13, 14, 15, 21, 22]
    right = [2, 4, 6, 8, 10, 12, 14, 16] if joints == 17 else [
        8, 9, 10, 11, 16, 17, 18, 19, 23, 24]
    out, out_score = call(limb_swap, keypoint, score, 1.0)
    np.testing.assert_array_equal(out[:, :, left], keypoint[:, :, right])
    np.testing.assert_array_equal(out[:, :, right], keypoint[:, :, left])
    np.testing.assert_array_equal(out_score[:, :, left], score[:, :, right])
    middle = sorted(set(range(joints)) - set(left) - set(right))
    np.testing.assert_array_equal(out[:, :, middle], keypoint[:, :, middle])
    out, _ = call(limb_swap, keypoint, score, 0.3)
    swapped = [not np.array_equal(out[:, t], keypoint[:, t])
               for t in range(10)]
    assert sum(swapped) == 3


def test_identity_switch_swaps_the_two_persons_level_times():
    keypoint, score = sequence(persons=2, frames=20, joints=25, dims=3)
    for switches in (1, 3):
        out, out_score = call(identity_switch, keypoint, score, switches)
        state = []
        for t in range(20):
            if np.array_equal(out[:, t], keypoint[:, t]):
                state.append(0)
            else:
                np.testing.assert_array_equal(out[:, t], keypoint[::-1, t])
                np.testing.assert_array_equal(out_score[:, t],
                                              score[::-1, t])
                state.append(1)
        assert state[0] == 0 and int(np.abs(np.diff(state)).sum()) == switches
    alone, alone_score = sequence(persons=1)
    out, _ = call(identity_switch, alone, alone_score, 2)
    assert out is alone


def test_frozen_joint_stays_put_from_its_onset():
    keypoint, score = sequence(persons=2, frames=12, joints=17)
    out, _ = call(frozen_joint, keypoint, score, 2, seed=3)
    for person in range(2):
        changed = np.flatnonzero(
            (out[person] != keypoint[person]).any(axis=(0, 2)))
        assert len(changed) <= 2
        for joint in changed:
            track = out[person, :, joint]
            start = int(np.argmax((track != keypoint[person, :,
                                                     joint]).any(-1))) - 1
            assert (track[start:] == track[start]).all()
