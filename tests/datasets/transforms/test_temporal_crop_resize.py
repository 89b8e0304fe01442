"""TemporalCropResize: crops within the clip, linear resize, per-sample
draws, bad lengths named."""
import numpy as np
import pytest

from mmhar_robust.datasets.transforms import TemporalCropResize
from mmhar_robust.datasets.transforms.temporal_crop_resize import \
    resize_frames


def sample(frames=20, name='clip0'):
    keypoint = np.arange(frames, dtype=np.float32)[None, :, None, None]
    return dict(frame_dir=name,
                keypoint=np.broadcast_to(keypoint, (2, frames, 3, 3)).copy(),
                keypoint_score=np.ones((2, frames, 3), np.float32),
                total_frames=frames)


def test_resize_by_hand():
    x = np.array([0.0, 10.0, 20.0], np.float32).reshape(1, 3)
    np.testing.assert_allclose(resize_frames(x, 0, 3, 5),
                               [[0, 5, 10, 15, 20]])
    np.testing.assert_allclose(resize_frames(x, 1, 2, 3), [[10, 15, 20]])


def test_test_mode_takes_the_central_share():
    t = TemporalCropResize(clip_len=5, crop_ratio=(0.5, 0.5), test_mode=True)
    out = t(sample(20))
    # frames 5..14 resized to 5: 5, 7.25, 9.5, 11.75, 14
    np.testing.assert_allclose(out['keypoint'][0, :, 0, 0],
                               [5, 7.25, 9.5, 11.75, 14])
    assert out['keypoint'].shape == (2, 5, 3, 3)
    assert out['keypoint_score'].shape == (2, 5, 3)
    assert out['total_frames'] == 5


def test_training_crops_lie_in_the_clip_and_differ_per_sample():
    t = TemporalCropResize(clip_len=8, crop_ratio=(0.5, 1.0))
    t.set_epoch(0)
    spans = []
    for i in range(20):
        frames = t(sample(30, f'clip{i}'))['keypoint'][0, :, 0, 0]
        first, last = frames[0], frames[-1]
        assert 0 <= first and last <= 29
        assert 0.5 * 30 - 1.5 <= last - first + 1 <= 30
        spans.append((first, last))
    assert len(set(spans)) > 10
    again = t(sample(30, 'clip3'))['keypoint'][0, :, 0, 0]
    assert (again[0], again[-1]) == spans[3]
    t.set_epoch(1)
    assert [tuple(t(sample(30, f'clip{i}'))['keypoint'][0, [0, -1], 0, 0])
            for i in range(20)] != spans


def test_crop_len_longer_than_the_clip_is_named():
    t = TemporalCropResize(clip_len=8, crop_len=25, test_mode=True)
    with pytest.raises(ValueError, match="crop_len=25.*'short'"):
        t(sample(20, 'short'))
    out = t(sample(30))['keypoint'][0, :, 0, 0]
    assert (out[0], out[-1]) == (2, 26)


@pytest.mark.parametrize('kwargs, field', [
    (dict(crop_ratio=(0.5, 1.2)), 'crop_ratio'),
    (dict(crop_ratio=(0.0, 1.0)), 'crop_ratio'),
    (dict(crop_ratio=(0.9, 0.5)), 'crop_ratio'),
    (dict(crop_len=0), 'crop_len'),
    (dict(clip_len=0), 'clip_len'),
])
def test_bad_arguments_name_the_field(kwargs, field):
    with pytest.raises(ValueError, match=field):
        TemporalCropResize(**kwargs)


def test_visibility_mask_follows_the_resize():
    # 5 frames -> 9: outputs 0, 2, 4, 6, 8 are source frames 0..4, the odd
    # ones blend two neighbours. Joint 0 is missing in source frame 2.
    keypoint = np.arange(5, dtype=np.float32).reshape(1, 5, 1, 1).repeat(
        2, axis=2).repeat(3, axis=3)
    visible = np.ones((1, 5, 2), dtype=bool)
    visible[0, 2, 0] = False
    keypoint[0, 2, 0] = 0
    out = TemporalCropResize(clip_len=9, crop_ratio=(1.0, 1.0),
                             test_mode=True)(
        dict(keypoint=keypoint.copy(), keypoint_visible=visible.copy(),
             frame_dir='a'))
    assert out['keypoint_visible'].shape == (1, 9, 2)
    # Missing: output 4 (= source 2) and the blends 3 and 5 that use it.
    np.testing.assert_array_equal(
        np.flatnonzero(~out['keypoint_visible'][0, :, 0]), [3, 4, 5])
    assert out['keypoint_visible'][0, :, 1].all()
    # Coordinates are blended as without a mask.
    np.testing.assert_allclose(out['keypoint'][0, :, 1, 0],
                               np.arange(9) / 2)
    np.testing.assert_allclose(
        out['keypoint'],
        TemporalCropResize(clip_len=9, crop_ratio=(1.0, 1.0),
                           test_mode=True)(
            dict(keypoint=keypoint.copy(), frame_dir='a'))['keypoint'])
