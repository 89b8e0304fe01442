"""KeypointNoise(scale='seed001'): seed 001's noise as its code drew it, the
mask of present joints, and training noise that ignores the worker count."""
import copy

import numpy as np
import pytest
from mmaction.datasets.transforms import PoseDecode, UniformSampleFrames
from torch.utils.data import DataLoader, Dataset

from mmhar_robust.datasets.transforms import KeypointNoise
from mmhar_robust.datasets.transforms.corruptions import (seed001_motion,
                                                          seed001_std)
from mmhar_robust.datasets.transforms.keypoint_visibility import \
    keypoint_visibility

NTU_SHAPE = (1080, 1920)


def _clip(seed=0, persons=2, frames=60, joints=17, speed=4.0):
    rng = np.random.default_rng(seed)
    base = rng.uniform(300, 1500, (persons, 1, joints, 2))
    walk = np.cumsum(rng.normal(0, speed, (persons, frames, joints, 2)), 1)
    kp = (base + walk).astype(np.float32)
    return dict(keypoint=kp, keypoint_score=np.full(kp.shape[:3], 0.9,
                                                    np.float32),
                frame_dir=f'S001C001P001R001A{seed:03d}', img_shape=NTU_SHAPE,
                original_shape=NTU_SHAPE, total_frames=frames)


def _motion_by_loops(keypoint):
    """D written out as seed 001's description reads."""
    total = 0.0
    for t in range(keypoint.shape[1] - 1):
        for v in range(keypoint.shape[2]):
            dx = float(keypoint[0, t + 1, v, 0]) - float(keypoint[0, t, v, 0])
            dy = float(keypoint[0, t + 1, v, 1]) - float(keypoint[0, t, v, 1])
            total += (dx * dx + dy * dy)**0.5
    return total


def test_motion_is_the_first_persons_summed_displacement():
    s = _clip(1)
    assert seed001_motion(s['keypoint']) == pytest.approx(
        _motion_by_loops(s['keypoint']), rel=1e-9)
    # The second person does not count.
    other = s['keypoint'].copy()
    other[1] += 50 * np.arange(60)[:, None, None]
    assert seed001_motion(other) == seed001_motion(s['keypoint'])


def test_std_by_hand():
    # 17 joints each move by (3, 4) px per frame over 101 frames:
    # D = 100 x 17 x 5 = 8500, c = sqrt(0.85).
    steps = np.arange(101, dtype=np.float32)[None, :, None, None]
    kp = np.broadcast_to(steps * np.array([3, 4], np.float32),
                         (1, 101, 17, 2)).copy()
    std = seed001_std(kp, NTU_SHAPE, 0.015)
    np.testing.assert_allclose(
        std, 0.015 * np.sqrt(0.85) * np.array([1920, 1080]), rtol=1e-12)
    # A still clip is clipped to c = 0.2, a wild one to c = 1.
    np.testing.assert_allclose(
        seed001_std(kp[:, :1].repeat(5, 1), NTU_SHAPE, 0.01),
        [0.2 * 19.2, 0.2 * 10.8])
    np.testing.assert_allclose(seed001_std(kp * 10, NTU_SHAPE, 0.01),
                               [19.2, 10.8])


def test_noise_has_the_promised_std_per_axis_on_every_person():
    t = KeypointNoise(level=0.015, scale='seed001', test_mode=True)
    diffs, stds = [], []
    for i in range(30):
        s = _clip(i, speed=6.0)
        clean = s['keypoint'].copy()
        out = t(s)
        stds.append(out['noise_std'])
        diffs.append((out['keypoint'] - clean) / out['noise_std'])
        np.testing.assert_allclose(
            out['noise_std'], seed001_std(clean, NTU_SHAPE, 0.015))
        assert (out['keypoint'][1] != clean[1]).mean() > 0.999  # person 2
    # x and y have different stds (w vs h), each as promised.
    assert stds[0][0] / stds[0][1] == pytest.approx(1920 / 1080)
    unit = np.concatenate(diffs)
    assert unit[..., 0].std() == pytest.approx(1, rel=0.03)
    assert unit[..., 1].std() == pytest.approx(1, rel=0.03)
    assert abs(unit.mean()) < 0.01


def test_missing_joints_stay_unless_asked():
    s = _clip(2)
    s['keypoint'][0, 3, 5] = 0
    s['keypoint_score'][0, 3, 5] = 0
    out = KeypointNoise(level=0.02, scale='seed001',
                        test_mode=True)(copy.deepcopy(s))
    assert (out['keypoint'][0, 3, 5] == 0).all()
    moved = KeypointNoise(level=0.02, scale='seed001', test_mode=True,
                          corrupt_missing=True)(s)
    assert (moved['keypoint'][0, 3, 5] != 0).all()


def test_a_joint_at_the_origin_is_not_missing():
    """After centring the centre joint is (0, 0, 0) in every frame."""
    kp = np.random.default_rng(0).normal(0, 0.3, (1, 20, 25, 3))
    kp[:, :, 1] = 0
    s = dict(keypoint=kp.astype(np.float32), frame_dir='centred',
             keypoint_visible=np.ones((1, 20, 25), bool))
    out = KeypointNoise(level=0.05, scale='body', test_mode=True)(s)
    assert (out['keypoint'][0, :, 1] != 0).all()
    # Scores decide for 2D: a joint at pixel (0, 0) with a score is present.
    s = _clip(3)
    s['keypoint'][0, :, 0] = 0
    out = KeypointNoise(level=0.02, scale='seed001', test_mode=True)(s)
    assert (out['keypoint'][0, :, 0] != 0).all()


def test_dropout_updates_a_carried_mask():
    s = dict(keypoint=np.zeros((1, 200, 25, 3), np.float32), frame_dir='z',
             keypoint_visible=np.ones((1, 200, 25), bool))
    out = KeypointNoise('joint_dropout', level=0.3, test_mode=True)(s)
    lost = ~out['keypoint_visible']
    assert lost.mean() == pytest.approx(0.3, abs=0.03)


def test_before_frame_sampling_as_seed001_did():
    s = _clip(4, frames=90)
    full = seed001_std(s['keypoint'], NTU_SHAPE, 0.02)
    noise = KeypointNoise(level=0.02, scale='seed001', test_mode=True)
    noisy_full = noise(copy.deepcopy(s))['keypoint']
    sample = UniformSampleFrames(clip_len=24, num_clips=1, test_mode=True)
    out = PoseDecode()(sample(noise(s)))
    np.testing.assert_allclose(out['noise_std'], full)
    np.testing.assert_array_equal(out['keypoint'],
                                  noisy_full[:, out['frame_inds']])


def test_a_mask_recorded_before_pose_decode_follows_the_frames():
    s = _clip(5, frames=40)
    s['keypoint_score'][0, 7, 2] = 0
    s['keypoint_visible'] = keypoint_visibility(s)
    del s['keypoint_score']
    out = PoseDecode()(UniformSampleFrames(clip_len=8, test_mode=True)(s))
    mask = keypoint_visibility(out)
    assert mask.shape == (2, 8, 17)
    np.testing.assert_array_equal(
        mask, s['keypoint_visible'][:, out['frame_inds']])


@pytest.mark.parametrize('sample,error,fields', [
    (dict(keypoint=np.ones((1, 5, 25, 3), np.float32), img_shape=NTU_SHAPE),
     ValueError, ('keypoint', 'clip_3d', 'scale="body"')),
    (dict(keypoint=np.ones((1, 5, 17, 2), np.float32)), KeyError,
     ('img_shape', 'clip_3d')),
])
def test_bad_input_names_sample_and_field(sample, error, fields):
    sample['frame_dir'] = 'clip_3d'
    with pytest.raises(error) as info:
        KeypointNoise(level=0.01, scale='seed001', test_mode=True)(sample)
    for field in fields:
        assert field in str(info.value)


class _Clips(Dataset):

    def __init__(self, transform):
        self.transform = transform

    def __len__(self):
        return 6

    def __getitem__(self, index):
        return self.transform(_clip(index, frames=10))['keypoint']


@pytest.mark.parametrize('persistent', [False, True])
def test_training_noise_is_the_same_with_0_or_2_workers(persistent):
    """Epochs set in the main process reach forked (even persistent)
    workers; which worker draws a sample does not matter."""

    def run(workers):
        noise = KeypointNoise(level=0.02, scale='seed001', two_views=True)
        loader = DataLoader(_Clips(noise), batch_size=2, num_workers=workers,
                            persistent_workers=persistent and workers > 0)
        epochs = []
        for epoch in range(2):
            noise.set_epoch(epoch)
            epochs.append(np.concatenate([b.numpy() for b in loader]))
        return epochs

    serial, parallel = run(0), run(2)
    for a, b in zip(serial, parallel):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(serial[0], serial[1])
