import numpy as np
import pytest
from mmcv.transforms import Compose
from mmengine.registry import init_default_scope

from mmhar_robust.datasets.transforms import FormatSkeletonVolume


def coded_keypoints(persons, frames, joints=17):
    """Keypoints whose value spells out where they came from:
    person * 1000 + frame * 10 + joint * 0.1 on x, the same + 0.05 on y."""
    kp = np.zeros((persons, frames, joints, 2), np.float32)
    for m in range(persons):
        for t in range(frames):
            for v in range(joints):
                kp[m, t, v, 0] = m * 1000 + t * 10 + v * 0.1
                kp[m, t, v, 1] = m * 1000 + t * 10 + v * 0.1 + 0.05
    return kp


def sample(keypoint, num_clips=1, clip_len=None):
    return dict(
        frame_dir='S001C001P001R001A001',
        keypoint=keypoint,
        num_clips=num_clips,
        clip_len=clip_len or keypoint.shape[1] // num_clips)


def test_two_persons_channel_order():
    kp = coded_keypoints(2, 4)
    out = FormatSkeletonVolume()(sample(kp.copy()))
    imgs = out['imgs']
    assert imgs.shape == (1, 68, 4, 1, 1) and imgs.dtype == np.float32
    assert out['input_shape'] == (1, 68, 4, 1, 1)
    # Channel 0: person 0, joint 0, x; 1: its y; 2: joint 1's x; ...;
    # 34: person 1, joint 0, x.
    assert imgs[0, 0, :, 0, 0].tolist() == pytest.approx([0, 10, 20, 30])
    assert imgs[0, 1, 2, 0, 0] == pytest.approx(20.05)
    assert imgs[0, 2, 1, 0, 0] == pytest.approx(10.1)
    assert imgs[0, 33, 3, 0, 0] == pytest.approx(31.65)  # joint 16, y
    assert imgs[0, 34, 0, 0, 0] == pytest.approx(1000)
    assert imgs[0, 67, 3, 0, 0] == pytest.approx(1031.65)
    for m in range(2):
        for v in range(17):
            for c in range(2):
                channel = m * 34 + v * 2 + c
                np.testing.assert_array_equal(imgs[0, channel, :, 0, 0],
                                              kp[m, :, v, c])


def test_lone_person_is_duplicated():
    kp = coded_keypoints(1, 3)
    imgs = FormatSkeletonVolume()(sample(kp))['imgs']
    assert imgs.shape == (1, 68, 3, 1, 1)
    np.testing.assert_array_equal(imgs[:, 34:], imgs[:, :34])
    np.testing.assert_array_equal(imgs[0, 5, :, 0, 0], kp[0, :, 2, 1])


def test_several_clips_keep_their_frames():
    kp = coded_keypoints(2, 12)  # 3 clips of 4 frames, as in test mode
    imgs = FormatSkeletonVolume()(sample(kp, num_clips=3))['imgs']
    assert imgs.shape == (3, 68, 4, 1, 1)
    # Clip 2, frame 1 is sampled frame 9.
    assert imgs[2, 0, 1, 0, 0] == pytest.approx(90)
    assert imgs[2, 35, 1, 0, 0] == pytest.approx(1090.05)
    assert imgs[1, 6, 3, 0, 0] == pytest.approx(70.3)  # frame 7, joint 3


def test_other_sizes():
    kp = coded_keypoints(1, 2, joints=5)
    imgs = FormatSkeletonVolume(
        num_persons=3, num_keypoints=5)(sample(kp))['imgs']
    assert imgs.shape == (1, 30, 2, 1, 1)
    np.testing.assert_array_equal(imgs[:, 20:], imgs[:, :10])


@pytest.mark.parametrize('shape, field', [
    ((3, 4, 17, 2), '3 persons'),
    ((2, 4, 18, 2), '18 joints'),
    ((1, 4, 17, 3), 'must be 2D'),
    ((0, 4, 17, 2), '0 persons'),
])
def test_bad_keypoints_name_sample_and_field(shape, field):
    with pytest.raises(ValueError, match=field) as error:
        FormatSkeletonVolume()(sample(np.zeros(shape, np.float32), clip_len=4))
    assert 'S001C001P001R001A001' in str(error.value)
    assert 'keypoint' in str(error.value)


def test_bad_frames_and_missing_keys():
    with pytest.raises(ValueError, match='5 frames.*num_clips x clip_len'):
        FormatSkeletonVolume()(sample(np.zeros((1, 5, 17, 2)), clip_len=4))
    results = sample(np.zeros((1, 4, 17, 2)))
    del results['clip_len']
    with pytest.raises(KeyError, match='S001C001P001R001A001.*clip_len'):
        FormatSkeletonVolume()(results)
    with pytest.raises(KeyError, match='no keypoint'):
        FormatSkeletonVolume()(dict(frame_dir='x', num_clips=1, clip_len=1))
    with pytest.raises(ValueError, match='num_persons'):
        FormatSkeletonVolume(num_persons=0)


def test_repr():
    assert repr(FormatSkeletonVolume()) == (
        'FormatSkeletonVolume(num_persons=2, num_keypoints=17)')
    assert repr(FormatSkeletonVolume(
        1, 25)) == ('FormatSkeletonVolume(num_persons=1, num_keypoints=25)')


def test_coordinates_are_pixels_of_the_resized_frame():
    """After mmaction2's sampling, decoding and resizing, the channels are
    the keypoints in the 56 x 56 frame (x scaled by 56/224, y by 56/112)."""
    import mmhar_robust  # noqa: F401
    init_default_scope('mmaction')
    rng = np.random.default_rng(0)
    raw = np.stack(
        [rng.uniform(0, 224, (2, 20, 17)),
         rng.uniform(0, 112, (2, 20, 17))], -1).astype(np.float32)
    pipeline = Compose([
        dict(
            type='UniformSampleFrames',
            clip_len=4,
            num_clips=2,
            test_mode=True),
        dict(type='PoseDecode'),
        dict(type='Resize', scale=(56, 56), keep_ratio=False),
        dict(type='FormatSkeletonVolume'),
    ])
    results = dict(
        frame_dir='clip',
        keypoint=raw.copy(),
        total_frames=20,
        img_shape=(112, 224),
        start_index=0,
        modality='Pose')
    out = pipeline(results)
    assert out['imgs'].shape == (2, 68, 4, 1, 1)
    frames = out['frame_inds'].reshape(2, 4)
    x = raw[1, frames, 6, 0] * 56 / 224  # person 1, joint 6, x
    y = raw[0, frames, 16, 1] * 56 / 112  # person 0, joint 16, y
    np.testing.assert_allclose(out['imgs'][:, 34 + 12, :, 0, 0], x, rtol=1e-5)
    np.testing.assert_allclose(out['imgs'][:, 33, :, 0, 0], y, rtol=1e-5)
