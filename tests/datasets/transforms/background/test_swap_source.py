"""Swap sources: a source video decoded once per sample (one seek at most,
frames read forward), and the annotations' plates with clear errors."""
import os.path as osp

import cv2
import numpy as np
import pytest

import mmhar_robust  # noqa: F401
from mmhar_robust.datasets.transforms.background import swap_source
from mmhar_robust.datasets.transforms.background.swap_source import (
    plate_sources, source_frames)

from test_strip_background import write_video


class CountingCapture(cv2.VideoCapture):
    """cv2.VideoCapture that counts seeks and decoded frames."""
    opened = []

    def __init__(self, path):
        super().__init__(path)
        self.seeks, self.grabs = [], 0
        CountingCapture.opened.append(self)

    def set(self, prop, value):
        if prop == cv2.CAP_PROP_POS_FRAMES:
            self.seeks.append(value)
        return super().set(prop, value)

    def grab(self):
        self.grabs += 1
        return super().grab()

    def read(self, *args):
        self.grabs += 1
        return super().read(*args)


@pytest.fixture
def grey_ramp(tmp_path):
    """40 frames of 32 x 40, frame k at grey level 6k."""
    levels = np.arange(40) * 6
    frames = np.repeat(levels, 32 * 40 * 3).reshape(40, 32, 40, 3)
    return write_video(tmp_path / 'ramp.mp4', frames.astype(np.uint8))


def test_the_source_is_decoded_once_forward(grey_ramp, monkeypatch):
    monkeypatch.setattr(swap_source.cv2, 'VideoCapture', CountingCapture)
    CountingCapture.opened.clear()
    positions = np.array([10, 11, 12, 20, 30]) / 40  # a clip's times
    out = source_frames(grey_ramp, positions, 16, 20, 'clip0')
    assert out.shape == (5, 16, 20, 3)
    levels = out.reshape(5, -1).mean(axis=1)
    np.testing.assert_allclose(levels, [60, 66, 72, 120, 180], atol=4)
    capture, = CountingCapture.opened
    # One seek, to the first wanted frame; frames 10..30 decoded once each.
    assert capture.seeks == [10] and capture.grabs == 21


def test_frames_from_the_first_to_the_last(grey_ramp):
    # Out of order, the very end and the start.
    out = source_frames(grey_ramp, np.array([0.999, 0.0]), 8, 10, 'clip0')
    assert abs(out[0].mean() - 234) <= 4 and out[1].mean() <= 4


def test_plates_of_the_annotations(tmp_path):
    (tmp_path / 'plates').mkdir()
    for name in ('a', 'b'):
        (tmp_path / 'plates' / f'{name}.mp4').write_bytes(b'')
    infos = [
        dict(frame_dir='a', plate='plates/a.mp4'),
        dict(frame_dir='b', plate='plates/b.mp4')
    ]
    assert plate_sources(
        infos, str(tmp_path)) == [osp.abspath(str(tmp_path / 'plates'))]
    assert plate_sources([dict(frame_dir='a')], str(tmp_path)) is None
    with pytest.raises(
            ValueError,
            match="1 annotations of ann.pkl have no "
            r"'plate' field \(first: frame_dir='c'\)"):
        plate_sources(infos + [dict(frame_dir='c')], str(tmp_path), 'ann.pkl')
    with pytest.raises(
            ValueError,
            match="annotation frame_dir='d' of "
            "ann.pkl: field 'plate' is None"):
        plate_sources(infos + [dict(frame_dir='d', plate=None)], str(tmp_path),
                      'ann.pkl')
    with pytest.raises(
            FileNotFoundError, match="frame_dir='e'.*'plate'.*"
            'plates/e.mp4'):
        plate_sources(infos + [dict(frame_dir='e', plate='plates/e.mp4')],
                      str(tmp_path))
