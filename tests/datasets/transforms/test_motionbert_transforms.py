"""MotionBERT's input transforms on hand-made inputs: normalisation, joint
order, persons, resampling, random move, crop-scale, format, and their
errors."""
import numpy as np
import pytest
from mmcv.transforms import Compose
from mmengine.registry import init_default_scope

import mmhar_robust  # noqa: F401  (registers the transforms)
from mmhar_robust.registry import TRANSFORMS

init_default_scope('mmaction')


def _build(type, **kwargs):
    return TRANSFORMS.build(dict(type=type, **kwargs))


def _sample(persons=1, frames=1, name='clip0', img_shape=(1080, 1920)):
    """COCO joint c of person m at frame t is at (c + t, 100 + c + m),
    score c / 100."""
    c = np.arange(17, dtype=np.float32)
    kp = np.zeros((persons, frames, 17, 2), np.float32)
    kp[..., 0] = c + np.arange(frames)[None, :, None]
    kp[..., 1] = 100 + c + np.arange(persons)[:, None, None]
    score = np.broadcast_to(c / 100, (persons, frames, 17)).astype(np.float32)
    return dict(frame_dir=name, img_shape=img_shape, keypoint=kp,
                keypoint_score=score.copy())


def test_normalize_by_the_longer_side():
    out = _build('MotionBERTNormalize')(dict(
        _sample(), keypoint=np.array([[[[960, 1080]] * 17]], np.float32)))
    np.testing.assert_allclose(out['keypoint'][0, 0, 0], [0.0, 0.125])
    out = _build('MotionBERTNormalize')(dict(
        _sample(img_shape=(1920, 1080)),
        keypoint=np.array([[[[0, 1920]] * 17]], np.float32)))
    np.testing.assert_allclose(out['keypoint'][0, 0, 0], [-1.0, 1.0])


@pytest.mark.parametrize('change,error,match', [
    (dict(keypoint=np.zeros((1, 2, 25, 2))), ValueError, r'\(1, 2, 25, 2\)'),
    (dict(keypoint=np.zeros((1, 2, 17, 3))), ValueError, 'COCO-17 2D'),
    (dict(keypoint_score=np.zeros((1, 2, 16))), ValueError,
     'keypoint_score of shape'),
    (dict(img_shape=None), KeyError, 'img_shape'),
])
def test_normalize_refuses_other_keypoints(change, error, match):
    sample = dict(_sample(frames=2, name='bad7'), **change)
    with pytest.raises(error, match=f"(?s)'bad7'.*{match}"):
        _build('MotionBERTNormalize')(sample)


def test_keypoints_without_scores_are_refused():
    sample = _sample(name='bad8')
    del sample['keypoint_score']
    with pytest.raises(KeyError, match="'bad8' needs keypoint and "
                       'keypoint_score'):
        _build('COCOToH36M')(sample)


# H36M joint <- COCO joints, written out from MotionBERT's coco2h36m.
H36M_X = [11.5, 12, 14, 16, 11, 13, 15, (5 + 6 + 11 + 12) / 4, 5.5, 0, 1.5,
          5, 7, 9, 6, 8, 10]


def test_coco_to_h36m_moves_coordinates_and_scores():
    out = _build('COCOToH36M')(_sample(persons=2, frames=3))
    x = np.array(H36M_X)
    np.testing.assert_allclose(out['keypoint'][1, 2, :, 0], x + 2)
    np.testing.assert_allclose(out['keypoint'][1, 2, :, 1], 100 + x + 1)
    np.testing.assert_allclose(out['keypoint_score'][0, 0], x / 100,
                               rtol=1e-6)


def test_coco_to_h36m_can_keep_the_releases_score_order():
    out = _build('COCOToH36M', reorder_score=False)(_sample())
    np.testing.assert_allclose(out['keypoint'][0, 0, :, 0], H36M_X)
    np.testing.assert_allclose(out['keypoint_score'][0, 0],
                               np.arange(17) / 100, rtol=1e-6)


def test_persons_padded_with_zeros_or_refused():
    out = _build('MotionBERTPersons')(_sample(persons=1, frames=2))
    assert out['keypoint'].shape == (2, 2, 17, 2)
    assert not out['keypoint'][1].any() and not out['keypoint_score'][1].any()
    assert out['keypoint'][0].any()
    with pytest.raises(ValueError, match="'crowd' has 3 persons"):
        _build('MotionBERTPersons')(_sample(persons=3, name='crowd'))


def test_resample_evenly_in_test():
    resample = _build('MotionBERTResample', clip_len=4, test_mode=True)
    out = resample(_sample(frames=10))
    assert out['frame_inds'].tolist() == [0, 2, 5, 7]
    assert out['keypoint'][0, :, 0, 0].tolist() == [0, 2, 5, 7]
    assert out['total_frames'] == 4
    resample = _build('MotionBERTResample', clip_len=5, test_mode=True)
    assert resample(_sample(frames=3))['frame_inds'].tolist() == \
        [0, 0, 1, 1, 2]


def test_resample_at_random_in_training():
    resample = _build('MotionBERTResample', clip_len=4)
    resample.set_epoch(0)
    inds = resample(_sample(frames=10))['frame_inds']
    stretch = np.arange(4) * 2.5
    assert np.all((inds >= np.floor(stretch)) & (inds < stretch + 2.5))
    assert inds.tolist() == resample(_sample(frames=10))['frame_inds'].tolist()
    draws = set()
    for epoch in range(8):
        resample.set_epoch(epoch)
        draws.add(tuple(resample(_sample(frames=10))['frame_inds']))
    assert len(draws) > 1
    short = _build('MotionBERTResample', clip_len=5)
    short.set_epoch(0)
    inds = short(_sample(frames=3))['frame_inds']
    even = np.arange(5) * 0.6
    assert np.all((inds == np.floor(even)) | (inds == np.ceil(even)))
    assert np.all(np.diff(inds) >= 0)


def test_long_clip_without_resampling_is_refused():
    keep = _build('MotionBERTResample', clip_len=None, maxlen=8,
                  test_mode=True)
    assert keep(_sample(frames=8))['keypoint'].shape[1] == 8
    with pytest.raises(ValueError, match="'long1' has 9 frames, more than "
                       'maxlen=8'):
        keep(_sample(frames=9, name='long1'))
    with pytest.raises(ValueError, match='clip_len must be in'):
        _build('MotionBERTResample', clip_len=300)


def test_random_move_rotates_scales_and_shifts():
    move = _build('MotionBERTRandomMove', angle_range=(90, 90),
                  scale_range=(2, 2), translate_range=(0.1, 0.1))
    move.set_epoch(0)
    sample = _sample(frames=2)
    x, y = sample['keypoint'][..., 0].copy(), sample['keypoint'][..., 1].copy()
    out = move(sample)['keypoint']
    np.testing.assert_allclose(out[..., 0], -2 * y + 0.1, atol=1e-4)
    np.testing.assert_allclose(out[..., 1], 2 * x + 0.1, atol=1e-4)


def test_random_move_drifts_between_epochs():
    move = _build('MotionBERTRandomMove')
    outs = []
    for epoch in (0, 0, 1):
        move.set_epoch(epoch)
        outs.append(move(_sample(frames=5))['keypoint'])
    np.testing.assert_array_equal(outs[0], outs[1])
    assert not np.allclose(outs[0], outs[2])


def test_crop_scale_by_hand():
    kp = np.array([[[[0, 0], [2, 0], [0, 1], [2, 1], [5, 5]]]], np.float32)
    score = np.array([[[1, 1, 1, 1, 0]]], np.float32)
    out = _build('MotionBERTCropScale', scale_range=(2, 2))(dict(
        frame_dir='a', keypoint=kp, keypoint_score=score))
    # side 2 x 2 = 4, corner (-1, -1.5); the unscored joint is clipped
    np.testing.assert_allclose(out['keypoint'][0, 0], [
        [-0.5, -0.25], [0.5, -0.25], [-0.5, 0.25], [0.5, 0.25], [1, 1]])
    few = _build('MotionBERTCropScale')(dict(
        frame_dir='b', keypoint=kp, keypoint_score=score * [[[1, 1, 1, 0,
                                                              0]]]))
    assert not few['keypoint'].any() and not few['keypoint_score'].any()


def test_crop_scale_ratio_is_drawn_per_sample_and_epoch():
    crop = _build('MotionBERTCropScale', scale_range=(1, 3))
    crop.set_epoch(0)
    sides = set()
    for name in 'abcdef':
        kp = np.array([[[[0, 0], [1, 0], [0, 1], [1, 1]]]], np.float32)
        out = crop(dict(frame_dir=name, keypoint=kp,
                        keypoint_score=np.ones((1, 1, 4), np.float32)))
        side = 2 / (out['keypoint'][0, 0, 1, 0] - out['keypoint'][0, 0, 0, 0])
        assert 1 <= side <= 3
        sides.add(round(float(side), 6))
    assert len(sides) == 6

    def side_of(name):
        kp = np.array([[[[0, 0], [1, 0], [0, 1], [1, 1]]]], np.float32)
        out = crop(dict(frame_dir=name, keypoint=kp,
                        keypoint_score=np.ones((1, 1, 4), np.float32)))
        return round(float(2 / (out['keypoint'][0, 0, 1, 0] -
                                out['keypoint'][0, 0, 0, 0])), 6)

    # The same sample and epoch draw the same ratio; another epoch another.
    first = side_of('a')
    assert first in sides and side_of('a') == first
    crop.set_epoch(1)
    assert side_of('a') != first and 1 <= side_of('a') <= 3


def test_format_input_and_whole_test_pipeline():
    pipeline = Compose([
        dict(type='MotionBERTNormalize'),
        dict(type='COCOToH36M'),
        dict(type='MotionBERTPersons'),
        dict(type='MotionBERTResample', clip_len=6, test_mode=True),
        dict(type='MotionBERTCropScale', scale_range=(2, 2)),
        dict(type='MotionBERTFormatInput'),
        dict(type='PackActionInputs'),
    ])
    out = pipeline(_sample(frames=4))
    inputs = out['inputs']
    assert tuple(inputs.shape) == (1, 2, 6, 17, 3)
    assert inputs.abs().max() <= 1
    np.testing.assert_allclose(inputs[0, 0, 0, :, 2].numpy(),
                               np.array(H36M_X) / 100, rtol=1e-5)
    assert not inputs[0, 1, :, :, 2].any()  # the added person's scores
