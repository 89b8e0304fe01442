"""KeypointNoise: the std it promises, per-sample determinism, missing joints
left alone, and no use of the global RNG."""
import copy

import numpy as np
import pytest

from mmhar_robust.datasets.transforms import KeypointNoise, expand_corruptions
from mmhar_robust.datasets.transforms.corruptions import (body_size,
                                                          total_difference,
                                                          visible_mask)


def _sample(seed=0, persons=1, frames=30, joints=17, moving=True):
    rng = np.random.default_rng(seed)
    base = rng.uniform(200, 400, (persons, 1, joints, 2))
    t = np.linspace(0, 2 * np.pi, frames)[None, :, None, None]
    motion = 40 * np.sin(t + rng.uniform(0, 6, (1, 1, joints, 1)))
    kp = (base + (motion if moving else 0 * motion)).astype(np.float32)
    score = np.full(kp.shape[:3], 0.9, np.float32)
    return dict(
        keypoint=kp,
        keypoint_score=score,
        frame_dir=f'clip{seed}',
        img_shape=(480, 640),
        original_shape=(480, 640),
        total_frames=frames)


def test_repr():
    t = KeypointNoise(
        corruption='laplace',
        level=0.01,
        scale='video',
        seed=3,
        test_mode=True,
        two_views=True)
    assert repr(t) == ("KeypointNoise(corruption='laplace', level=0.01, "
                       "scale='video', seed=3, test_mode=True, "
                       "two_views=True, corrupt_missing=False)")


@pytest.mark.parametrize('corruption', ['gaussian', 'laplace', 'student_t'])
def test_additive_std_is_level_times_video_size(corruption):
    t = KeypointNoise(corruption, level=0.01, scale='video', test_mode=True)
    diffs = []
    for i in range(40):
        s = _sample(i)
        clean = s['keypoint'].copy()
        diffs.append(t(s)['keypoint'] - clean)
    std = np.concatenate(diffs).std()
    # video size = max(480, 640) = 640, so std = 6.4 px
    assert std == pytest.approx(6.4, rel=0.08)


def test_motion_scale_multiplies_by_total_difference():
    s = _sample(1)
    td = total_difference(s['keypoint'], visible_mask(s['keypoint']))
    out = KeypointNoise(level=0.02, scale='motion', test_mode=True)(s)
    assert out['total_difference'] == pytest.approx(td)
    assert out['noise_std'] == pytest.approx(0.02 * 640 * td)


def test_total_difference_still_local_whole_and_scale_invariant():
    still = _sample(0, moving=False)['keypoint']
    assert total_difference(still, visible_mask(still)) == 0.0
    whole = _sample(0)['keypoint']
    local = still.copy()
    local[:, :, 9:11] = whole[:, :, 9:11]  # only the wrists move
    td_whole = total_difference(whole, visible_mask(whole))
    td_local = total_difference(local, visible_mask(local))
    assert td_whole > 0.8 and 0.05 < td_local < 0.2
    # Same clip filmed at twice the resolution: same motion amount.
    assert total_difference(2 * whole, visible_mask(whole)) == \
        pytest.approx(td_whole)


def test_same_sample_same_noise_and_other_samples_differ():
    t = KeypointNoise(level=0.05, scale='video', test_mode=True)
    a = t(_sample(0))['keypoint']
    b = KeypointNoise(
        level=0.05, scale='video', test_mode=True)(_sample(0))['keypoint']
    np.testing.assert_array_equal(a, b)
    other = _sample(0)
    other['frame_dir'] = 'another'
    assert not np.array_equal(a, t(other)['keypoint'])


def test_training_noise_is_keyed_by_epoch_not_by_call_count():
    t = KeypointNoise(level=0.05, scale='video')
    t.set_epoch(3)
    a = t(_sample(0))['keypoint']
    np.testing.assert_array_equal(a, t(_sample(0))['keypoint'])
    # Another copy of the transform (a dataloader worker) at that epoch.
    other = copy.deepcopy(t)
    np.testing.assert_array_equal(a, other(_sample(0))['keypoint'])
    t.set_epoch(4)
    assert not np.array_equal(a, t(_sample(0))['keypoint'])
    # Training noise differs from the test-mode noise of the same level.
    test = KeypointNoise(level=0.05, scale='video', test_mode=True)
    assert not np.array_equal(a, test(_sample(0))['keypoint'])


def test_training_noise_without_an_epoch_warns():
    t = KeypointNoise(level=0.05, scale='video')
    with pytest.warns(UserWarning, match='KeypointNoiseEpochHook'):
        t(_sample(0))
    assert t.epoch == 0


def test_global_rng_is_neither_used_nor_disturbed():
    """mmaction2's UniformSampleFrames reseeds the global RNG per sample; our
    noise must not depend on it, nor move it."""
    t = KeypointNoise(level=0.05, scale='video', test_mode=True)
    np.random.seed(255)
    a = t(_sample(0))['keypoint']
    after = np.random.random()
    np.random.seed(255)
    np.random.random(7)  # a different global state
    b = t(_sample(0))['keypoint']
    np.testing.assert_array_equal(a, b)
    np.random.seed(255)
    assert np.random.random() == after


@pytest.mark.parametrize('corruption,level', [('gaussian', 0.05),
                                              ('student_t', 0.05),
                                              ('joint_dropout', 0.3),
                                              ('frame_dropout', 0.3)])
def test_missing_joints_stay_missing(corruption, level):
    s = _sample(2)
    s['keypoint'][0, 4, 3] = 0
    s['keypoint_score'][0, 4, 3] = 0
    s['keypoint_score'][0, 5, 6] = 0  # detected at a place but score 0
    place = s['keypoint'][0, 5, 6].copy()
    out = KeypointNoise(
        corruption, level=level, scale='video', test_mode=True)(
            s)
    assert (out['keypoint'][0, 4, 3] == 0).all()
    assert out['keypoint_score'][0, 4, 3] == 0
    np.testing.assert_array_equal(out['keypoint'][0, 5, 6], place)


def test_dropout_levels_are_loss_probabilities():
    s = _sample(3, frames=400)
    out = KeypointNoise(
        'joint_dropout', level=0.25, test_mode=True)(
            copy.deepcopy(s))
    lost = out['keypoint_score'] == 0
    assert lost.mean() == pytest.approx(0.25, abs=0.02)
    assert (out['keypoint'][lost] == 0).all()
    out = KeypointNoise('frame_dropout', level=0.25, test_mode=True)(s)
    frames_lost = (out['keypoint_score'] == 0).all(axis=(0, 2))
    assert frames_lost.mean() == pytest.approx(0.25, abs=0.06)
    assert ((out['keypoint_score'] == 0).any(
        axis=(0, 2)) == frames_lost).all()  # whole frames, nothing partial


def test_body_scale_works_for_3d_metres():
    kp = np.random.default_rng(0).normal(0, 0.3, (1, 20, 25, 3)).astype(
        np.float32) + np.array([0, 1, 3], np.float32)
    s = dict(keypoint=kp.copy(), frame_dir='babel_0')
    out = KeypointNoise(level=0.05, scale='body', test_mode=True)(s)
    size = body_size(kp, visible_mask(kp))[0]
    assert out['noise_std'] == pytest.approx(0.05 * size)
    with pytest.raises(KeyError, match='scale="body"'):
        KeypointNoise(
            level=0.05, scale='video')(
                dict(keypoint=kp, frame_dir='x'))


def test_two_views_keep_clean_and_append_noisy():
    s = _sample(4, persons=2)
    clean = s['keypoint'].copy()
    out = KeypointNoise(
        level=0.05, scale='video', two_views=True, test_mode=True)(
            s)
    assert out['keypoint'].shape[0] == 4 and out['view_persons'] == 2
    np.testing.assert_array_equal(out['keypoint'][:2], clean)
    assert not np.array_equal(out['keypoint'][2:], clean)


@pytest.mark.parametrize('kwargs,message', [
    (dict(corruption='pink_noise'), 'unknown corruption'),
    (dict(level=-0.1), '>= 0'),
    (dict(level=float('nan')), 'finite'),
    (dict(level=float('inf')), 'finite'),
    (dict(corruption='joint_dropout', level=1.5), 'probability'),
    (dict(scale='diagonal'), 'scale must be one of'),
])
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        KeypointNoise(**kwargs)


def test_groups_expand():
    assert expand_corruptions('noise') == ['gaussian', 'laplace', 'student_t']
    assert expand_corruptions(
        ['gaussian',
         'dropout']) == ['gaussian', 'joint_dropout', 'frame_dropout']
    with pytest.raises(ValueError, match='no corruption'):
        expand_corruptions([])
