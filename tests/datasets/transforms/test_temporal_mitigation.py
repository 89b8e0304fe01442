"""InterpolateMissing and TemporalMedianFilter against values computed by
hand."""
import numpy as np
import pytest

from mmhar_robust.datasets.transforms import (InterpolateMissing,
                                              KeypointNoise,
                                              TemporalMedianFilter)


def track(xs, dims=2):
    """One person, one joint moving along x (None: missing); y = 2x."""
    keypoint = np.zeros((1, len(xs), 1, dims), dtype=np.float32)
    score = np.zeros((1, len(xs), 1), dtype=np.float32)
    for t, x in enumerate(xs):
        if x is not None:
            keypoint[0, t, 0] = [x, 2 * x, 1][:dims]
            score[0, t, 0] = 1.0 if t % 2 == 0 else 0.5
    return keypoint, score


def test_interpolation_fills_gaps_linearly_and_holds_the_ends():
    keypoint, score = track([None, 2, None, None, 8, None])
    out = InterpolateMissing()(dict(keypoint=keypoint, keypoint_score=score))
    np.testing.assert_allclose(out['keypoint'][0, :, 0, 0],
                               [2, 2, 4, 6, 8, 8])
    np.testing.assert_allclose(out['keypoint'][0, :, 0, 1],
                               [4, 4, 8, 12, 16, 16])
    # Scores: 0.5 at t=1, 1.0 at t=4, interpolated between, held outside.
    np.testing.assert_allclose(out['keypoint_score'][0, :, 0],
                               [0.5, 0.5, 2 / 3, 5 / 6, 1.0, 1.0])


def test_interpolation_without_extrapolation_and_the_mask_3d():
    keypoint, _ = track([None, 2, None, 8, None], dims=3)
    mask = (keypoint != 0).any(-1)
    out = InterpolateMissing(extrapolate=False)(
        dict(keypoint=keypoint, keypoint_visible=mask))
    np.testing.assert_allclose(out['keypoint'][0, :, 0, 0], [0, 2, 5, 8, 0])
    assert out['keypoint_visible'][0, :, 0].tolist() == [
        False, True, True, True, False
    ]


def test_interpolation_undoes_uniform_subsampling_of_linear_motion():
    keypoint, score = track([float(t) + 1 for t in range(9)])
    results = dict(keypoint=keypoint, keypoint_score=score, frame_dir='c')
    results = KeypointNoise('uniform_subsample', 4, test_mode=True)(results)
    assert (results['keypoint_score'][0, :, 0] > 0).tolist() == [
        True, False, False, False, True, False, False, False, True
    ]
    out = InterpolateMissing()(results)
    np.testing.assert_allclose(out['keypoint'], keypoint)


def test_median_filter_by_hand():
    keypoint, score = track([1, 10, 2, 3, 50])
    out = TemporalMedianFilter(window=3)(
        dict(keypoint=keypoint, keypoint_score=score))
    np.testing.assert_allclose(out['keypoint'][0, :, 0, 0],
                               [5.5, 2, 3, 3, 26.5])
    keypoint, score = track([1, 10, None, 3, 50])
    out = TemporalMedianFilter(window=3)(
        dict(keypoint=keypoint, keypoint_score=score))
    np.testing.assert_allclose(out['keypoint'][0, :, 0, 0],
                               [5.5, 5.5, 0, 26.5, 26.5])
    np.testing.assert_array_equal(out['keypoint_score'], score)


def test_median_filter_window_must_be_odd():
    with pytest.raises(ValueError, match='odd'):
        TemporalMedianFilter(window=4)
