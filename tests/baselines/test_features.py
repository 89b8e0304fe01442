"""Seed 000's hand-crafted features on hand-made sequences."""
import math

import numpy as np
import pytest

from mmhar_robust.baselines import features as F
from mmhar_robust.baselines import skeletons
from mmhar_robust.synthetic import layouts


@pytest.fixture
def toy_layout(monkeypatch):
    """A 3-joint chain a <- b <- c (a the root), one pair (a, c)."""
    monkeypatch.setitem(layouts.LAYOUTS, 'toy', ('a', 'b', 'c'))
    monkeypatch.setitem(skeletons.PARENTS, 'toy', (0, 0, 1))
    monkeypatch.setitem(skeletons.JOINT_PAIR_NAMES, 'toy', (('a', 'c'), ))
    return 'toy'


def _toy_sequence():
    # Frame t: a = (0, 0), b = (t + 1, 0), c = (t + 1, t + 1).
    x = np.zeros((1, 3, 3, 2))
    for t in range(3):
        x[0, t, 1] = (t + 1, 0)
        x[0, t, 2] = (t + 1, t + 1)
    return x


def test_extended_features_by_hand(toy_layout):
    got = F.sequence_features(_toy_sequence(), 'extended', toy_layout)
    r2 = math.sqrt(2)
    expected = [
        4 / 3, 2 / 3, math.sqrt(4 / 3), math.sqrt(10 / 9),  # positions
        2 / 3, 1 / 3, math.sqrt(2 / 9), math.sqrt(2 / 9),  # velocities
        0, 0, 0, 0,  # accelerations (constant velocity)
        1, 1, math.sqrt(4 / 3), math.sqrt(4 / 3),  # bones b-a, c-b
        2 * r2, 2 / math.sqrt(3)  # |a - c| = (t + 1) sqrt(2)
    ]
    np.testing.assert_allclose(got, expected, atol=1e-12)
    # basic and rich are the leading blocks
    np.testing.assert_allclose(
        F.sequence_features(_toy_sequence(), 'basic', toy_layout),
        expected[:4], atol=1e-12)
    np.testing.assert_allclose(
        F.sequence_features(_toy_sequence(), 'rich', toy_layout),
        expected[:16], atol=1e-12)


def _loop_features(x, parent, pairs):
    """An independent, loop-based implementation for one person."""
    T, V, C = x.shape

    def stats(values):  # list of C-vectors -> means then stds
        arr = np.array(values)
        mean = arr.sum(0) / len(arr)
        std = np.sqrt(((arr - mean)**2).sum(0) / len(arr))
        return list(mean) + list(std)

    pos = [x[t, v] for t in range(T) for v in range(V)]
    vel = [x[t + 1, v] - x[t, v] for t in range(T - 1) for v in range(V)]
    acc = [
        x[t + 2, v] - 2 * x[t + 1, v] + x[t, v] for t in range(T - 2)
        for v in range(V)
    ]
    bone = [
        x[t, v] - x[t, parent[v]] for t in range(T) for v in range(V)
        if parent[v] != v
    ]
    dist = [[np.sqrt(((x[t, a] - x[t, b])**2).sum()) for a, b in pairs]
            for t in range(T)]
    return stats(pos) + stats(vel) + stats(acc) + stats(bone) + stats(dist)


@pytest.mark.parametrize('layout,channels', [('nturgb+d', 3), ('coco', 2)])
def test_matches_loop_implementation(layout, channels):
    rng = np.random.default_rng(0)
    V = len(skeletons.PARENTS[layout])
    x = rng.normal(size=(1, 7, V, channels))
    got = F.sequence_features(x, 'extended', layout, 'clip0')
    want = _loop_features(x[0], skeletons.PARENTS[layout],
                          skeletons.joint_pairs(layout))
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    assert got.shape == (F.feature_dim('extended', layout, channels), )
    # An empty second person slot changes nothing.
    two = np.concatenate([x, np.zeros_like(x)])
    np.testing.assert_allclose(
        F.sequence_features(two, 'extended', layout), got, rtol=1e-12)


def test_feature_dims():
    assert F.feature_dim('basic', 'nturgb+d') == 6
    assert F.feature_dim('rich', 'nturgb+d') == 24
    assert F.feature_dim('extended', 'nturgb+d') == 24 + 2 * 16
    assert F.feature_dim('extended', 'coco', 2) == 16 + 2 * 15


def test_batch_features_stack_and_name_samples():
    x = np.random.default_rng(1).normal(size=(1, 4, 25, 3))
    out = F.batch_features([x, 2 * x], 'rich')
    assert out.shape == (2, 24)
    # Pool(2X) = 2 Pool(X): means and standard deviations scale alike.
    np.testing.assert_allclose(out[1], 2 * out[0])
    with pytest.raises(F.FeatureError, match=r'sample b,'):
        F.batch_features([x, x[:, :2]], 'rich', names=['a', 'b'])


def test_short_sequences():
    x = np.ones((1, 2, 25, 3))
    with pytest.raises(F.FeatureError,
                       match=r"sample s1, field 'keypoint': 2 frame.*at "
                       r'least 3'):
        F.sequence_features(x, 'rich', sample='s1')
    # The basic features need no differences.
    np.testing.assert_allclose(
        F.sequence_features(x, 'basic'), [1, 1, 1, 0, 0, 0])


def test_all_zero_and_nan():
    with pytest.raises(F.FeatureError,
                       match=r"sample z, field 'keypoint': all coordinates"):
        F.sequence_features(np.zeros((2, 5, 25, 3)), 'basic', sample='z')
    x = np.ones((1, 5, 25, 3))
    x[0, 3, 4, 1] = np.nan
    with pytest.raises(F.FeatureError,
                       match=r'sample n, .*1 non-finite.*frame 3, joint 4, '
                       r'channel 1'):
        F.sequence_features(x, 'basic', sample='n')


def test_layout_without_parent_table_and_wrong_joints():
    x = np.ones((1, 5, 18, 2))
    with pytest.raises(F.FeatureError,
                       match=r"sample o, field 'layout'.*'openpose' has no "
                       'parent table'):
        F.sequence_features(x, 'rich', 'openpose', sample='o')
    with pytest.raises(F.FeatureError, match=r'25 joints, but layout '
                       r"'coco' has 17"):
        F.sequence_features(np.ones((1, 5, 25, 3)), 'rich', 'coco')
    with pytest.raises(F.FeatureError, match=r'\(M, T, V, C\)'):
        F.sequence_features(np.ones((5, 25, 3)), 'basic')
    with pytest.raises(ValueError, match='unknown feature set'):
        F.sequence_features(x, 'fancy', 'coco')
