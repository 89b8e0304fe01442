"""Skeleton-C's camera geometry by hand, and what holds for the whole suite:
each severity at least as strong as the one before, the same output for the
same (seed, sample, corruption, severity), 2D and 3D alike."""
import numpy as np
import pytest

from mmhar_robust.suites import load_suite
from mmhar_robust.datasets.transforms import KeypointNoise
from mmhar_robust.datasets.transforms.corruptions import (rotation, scaling,
                                                          translation)

from test_skeleton_c_missing import sequence

SUITE = load_suite()


def call(fn, keypoint, level, seed=0):
    visible = np.ones(keypoint.shape[:3], dtype=bool)
    return fn(keypoint, None, visible, level, 1.0,
              np.random.default_rng(seed))[0]


def test_rotation_2d_turns_about_the_centroid():
    # Two joints at (0, 0) and (2, 0): centroid (1, 0); 90 degrees turns
    # them to (1, -1) and (1, 1), or the other way round.
    keypoint = np.array([[[[0., 0.], [2., 0.]]]], dtype=np.float32)
    out = call(rotation, keypoint, 90)[0, 0]
    assert np.allclose(out, [[1, -1], [1, 1]], atol=1e-6) or np.allclose(
        out, [[1, 1], [1, -1]], atol=1e-6)


def test_rotation_3d_keeps_the_vertical_axis():
    keypoint, _ = sequence(joints=25, dims=3)
    keypoint[..., 1] *= 5  # tallest along y
    out = call(rotation, keypoint, 30)
    np.testing.assert_allclose(out[..., 1], keypoint[..., 1], rtol=1e-6)
    before = np.linalg.norm(keypoint[0, :, 0] - keypoint[0, :, 1], axis=-1)
    after = np.linalg.norm(out[0, :, 0] - out[0, :, 1], axis=-1)
    np.testing.assert_allclose(after, before, rtol=1e-5)
    assert not np.allclose(out, keypoint)


def test_scaling_and_translation():
    keypoint = np.array([[[[0., 0.], [2., 0.]]]], dtype=np.float32)
    out = call(scaling, keypoint, 0.5)[0, 0]
    half = np.abs(out[1, 0] - out[0, 0]) / 2
    assert np.isclose(half, 1.5) or np.isclose(half, 1 / 1.5)
    assert np.allclose(out.mean(0), [1, 0])
    # Body size: the diagonal of the box, 2; level 0.5 moves by 1.
    out = call(translation, keypoint, 0.5)[0, 0]
    shift = out - keypoint[0, 0]
    np.testing.assert_allclose(shift[0], shift[1])
    assert np.isclose(np.linalg.norm(shift[0]), 1.0, atol=1e-6)


def test_geometry_refuses_other_coordinates():
    keypoint = np.ones((1, 2, 17, 4), dtype=np.float32)
    with pytest.raises(ValueError, match='2D or 3D.*4 coordinates'):
        call(rotation, keypoint, 10)


def strength(clean, score, out, out_score):
    """How far a corrupted sample is from the clean one: joints lost, score
    lost, and coordinates moved."""
    lost = float((out_score == 0).mean())
    moved = float(np.abs(out - clean).mean())
    return lost + float(np.abs(out_score - score).mean()) + moved


def sample(dims):
    keypoint, score = sequence(persons=2, frames=60,
                               joints=17 if dims == 2 else 25, dims=dims)
    results = dict(keypoint=keypoint, frame_dir='clip7')
    if dims == 2:
        results['keypoint_score'] = score
    return results


def apply(corruption, severity, dims, seed=0, name='clip7'):
    item = SUITE.corruption(corruption)
    noise = KeypointNoise(corruption, SUITE.level(corruption, severity),
                          scale=item.scale or 'body', seed=seed,
                          test_mode=True)
    results = sample(dims)
    results['frame_dir'] = name
    out = noise(results)
    return out['keypoint'], out.get('keypoint_score', np.ones(
        out['keypoint'].shape[:3]) * (out['keypoint'] != 0).any(-1))


MONOTONE_BY_DRAW = ('frame_jitter', 'frozen_joint', 'identity_switch')


@pytest.mark.parametrize('dims', [2, 3])
def test_every_corruption_runs_and_grows_with_severity(dims):
    for item in SUITE.corruptions:
        if f'{dims}d' not in item.dims:
            continue
        clean = sample(dims)
        score = clean.get('keypoint_score',
                          np.ones(clean['keypoint'].shape[:3]))
        values = []
        for severity in range(6):
            out, out_score = apply(item.name, severity, dims)
            assert out.shape == clean['keypoint'].shape, item.name
            values.append(strength(clean['keypoint'], score, out, out_score))
        assert values[0] == 0, item.name
        assert values[1] > 0, item.name
        if item.name not in MONOTONE_BY_DRAW:  # their draws differ by level
            assert values == sorted(values), (item.name, values)


@pytest.mark.parametrize('dims', [2, 3])
def test_same_seed_sample_corruption_severity_same_output(dims):
    for item in SUITE.corruptions:
        if f'{dims}d' not in item.dims:
            continue
        first = apply(item.name, 3, dims)
        again = apply(item.name, 3, dims)
        np.testing.assert_array_equal(first[0], again[0])
        np.testing.assert_array_equal(first[1], again[1])
    # Another seed draws another corruption.
    other = apply('joint_dropout', 3, dims, seed=1)
    assert not np.array_equal(apply('joint_dropout', 3, dims)[1], other[1])
