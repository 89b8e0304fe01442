"""The in-person fraction on hand-made CAMs and masks, mask fitting, the
summary and the report files."""
import csv
import json

import numpy as np
import pytest

import mmhar_robust  # noqa: F401
from mmhar_robust.visualization.cam.reliance import (in_person_fraction,
                                                     mask_like, summarize,
                                                     write_report)


def test_fraction_by_hand():
    cam = np.array([[[1., 2.], [3., 4.]]])
    mask = np.array([[[True, False], [False, True]]])
    assert in_person_fraction(cam, mask) == pytest.approx(5 / 10)
    assert in_person_fraction(cam, ~mask) == pytest.approx(5 / 10)
    assert in_person_fraction(cam, np.ones_like(mask)) == 1.0
    assert in_person_fraction(cam, np.zeros_like(mask)) == 0.0
    # Two frames: all the mass of frame 1 is on the person.
    cam2 = np.stack([np.full((2, 2), 1.), np.array([[0., 6.], [0., 0.]])])
    mask2 = np.stack(
        [np.zeros((2, 2), bool),
         np.array([[0, 1], [0, 0]], bool)])
    assert in_person_fraction(cam2, mask2) == pytest.approx(6 / 10)


def test_fraction_undefined_or_invalid():
    assert in_person_fraction(np.zeros((2, 3, 3)), np.ones((2, 3, 3))) is None
    with pytest.raises(ValueError, match=r'\(2, 3, 3\).*\(2, 3, 4\)'):
        in_person_fraction(np.ones((2, 3, 3)), np.ones((2, 3, 4), bool))
    with pytest.raises(ValueError, match='non-negative'):
        in_person_fraction(-np.ones((1, 2, 2)), np.ones((1, 2, 2), bool))


def test_mask_fitted_to_clips_and_size():
    frames = np.zeros((4, 8, 8), bool)
    frames[1, :4, :4] = True  # clip 0, frame 1, top-left quarter
    fitted = mask_like(frames, np.zeros((2, 2, 4, 4)))
    assert fitted.shape == (2, 2, 4, 4)
    assert fitted[0, 1, :2, :2].all() and fitted.sum() == 4
    # One clip's worth of frames is shared by every clip.
    shared = mask_like(frames[:2], np.zeros((3, 2, 8, 8)))
    assert shared.shape == (3, 2, 8, 8) and shared[2, 1, 0, 0]
    with pytest.raises(ValueError, match='3 frames does not fit'):
        mask_like(frames[:3], np.zeros((2, 2, 8, 8)))


def test_summary_skips_samples_without_a_fraction():
    summary = summarize([0.5, None, 0.25])
    assert summary == dict(
        mean_in_person=pytest.approx(0.375),
        mean_background=pytest.approx(0.625),
        num_samples=3,
        num_scored=2)
    assert summarize([None])['mean_in_person'] is None


def test_report_files(tmp_path):
    rows = [
        dict(sample='test_0', in_person=0.75, pred=1),
        dict(sample='test_1', in_person=None, pred=2)
    ]
    path = write_report(rows, str(tmp_path))
    with open(path) as f:
        report = json.load(f)
    assert report['samples'] == rows
    assert report['summary']['mean_in_person'] == 0.75
    with open(tmp_path / 'reliance.csv') as f:
        table = list(csv.DictReader(f))
    assert [r['sample'] for r in table] == ['test_0', 'test_1']
    assert table[0]['in_person'] == '0.75'
