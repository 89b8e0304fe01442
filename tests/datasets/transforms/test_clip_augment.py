"""ClipAugment: seed 002's filters, drawn once per clip from a per-sample
generator; each filter checked against an independent implementation
(numpy, OpenCV, SciPy, mmaction2's own Flip)."""
import copy

import cv2
import numpy as np
import pytest
from mmaction.datasets.transforms import Flip as MMFlip
from mmcv.transforms import Compose
import torch
from scipy import ndimage

from mmhar_robust.datasets.transforms import ClipAugment
from mmhar_robust.datasets.transforms.clip_filters import (FILTER_NAMES,
                                                           Elastic)
from mmhar_robust.engine.hooks.keypoint_noise_epoch_hook import \
    epoch_keyed_transforms


def make_sample(frames=4, height=24, width=32, name='clip0', seed=0):
    rng = np.random.default_rng(seed)
    # 1..254: a salt (255) or pepper (0) pixel is always a change.
    imgs = rng.integers(1, 255, (frames, height, width, 3), dtype=np.uint8)
    keypoint = rng.uniform(1, width - 1, (1, frames, 5, 2)).astype(np.float32)
    keypoint[0, 0, 0] = 0  # a missing joint stays at 0 after a flip
    return dict(imgs=list(imgs), filename=name, img_shape=(height, width),
                keypoint=keypoint,
                keypoint_score=rng.random((1, frames, 5)).astype(np.float32),
                modality='RGB')


def run(sample, **kwargs):
    kwargs.setdefault('test_mode', True)
    return ClipAugment(**kwargs)(copy.deepcopy(sample))


def test_same_clip_and_seed_give_the_same_augmentation():
    sample = make_sample()
    a = run(sample, mode='all', seed=5)
    b = run(sample, mode='all', seed=5)
    np.testing.assert_array_equal(np.stack(a['imgs']), np.stack(b['imgs']))
    assert a['augment_params'] == b['augment_params']
    assert run(sample, mode='all', seed=6)['augment_params'] != \
        a['augment_params']
    # Training: keyed by the epoch as well.
    train = ClipAugment(mode='all', seed=5)
    train.set_epoch(0)
    first = train(copy.deepcopy(sample))['augment_params']
    assert train(copy.deepcopy(sample))['augment_params'] == first
    train.set_epoch(1)
    assert train(copy.deepcopy(sample))['augment_params'] != first


def test_identical_parameters_on_every_frame():
    sample = make_sample(frames=5)
    still = dict(sample, imgs=[sample['imgs'][0]] * 5)
    out = np.stack(run(still, mode='all', seed=1)['imgs'])
    for frame in out[1:]:
        np.testing.assert_array_equal(frame, out[0])
    # Frame i of the clip is what the one-frame clip of frame i becomes.
    whole = np.stack(run(sample, mode='all', seed=1)['imgs'])
    for i in (0, 3):
        single = dict(sample, imgs=[sample['imgs'][i]])
        single.pop('keypoint')
        np.testing.assert_array_equal(
            run(single, mode='all', seed=1)['imgs'][0], whole[i])


def only(sample, name, **ranges):
    out = run(sample, filters=[dict(type=name, **ranges)], mode='all')
    assert out['augment_filters'] == (name, )
    return out, np.stack(sample['imgs']).astype(np.float64)


@pytest.mark.parametrize('name', ['add', 'multiply'])
def test_add_and_multiply_change_intensities_only(name):
    sample = make_sample()
    out, clip = only(sample, name)
    value = next(iter(out['augment_params'][0].values()))
    expected = clip + value if name == 'add' else clip * value
    np.testing.assert_array_equal(
        np.stack(out['imgs']), np.clip(np.rint(expected), 0, 255))
    np.testing.assert_array_equal(out['keypoint'], sample['keypoint'])
    assert out['imgs'][0].dtype == np.uint8 and 'flip' not in out


@pytest.mark.parametrize('name,fill', [('salt', 255), ('pepper', 0)])
def test_salt_and_pepper_set_the_same_pixels_in_every_frame(name, fill):
    sample = make_sample(frames=3, height=64, width=64)
    out, clip = only(sample, name, fraction=(0.1, 0.1))
    imgs = np.stack(out['imgs'])
    changed = (imgs != clip).any(-1)
    assert (imgs[changed] == fill).all()
    np.testing.assert_array_equal(imgs[~changed], clip[~changed])
    assert (changed == changed[0]).all()
    # 4096 pixels at 0.1: 409.6 expected, binomial std 19.2.
    assert abs(changed[0].sum() - 409.6) < 4 * 19.2
    np.testing.assert_array_equal(out['keypoint'], sample['keypoint'])


def test_blur_matches_opencv():
    sample = make_sample()
    out, clip = only(sample, 'blur')
    sigma = out['augment_params'][0]['sigma']
    size = 2 * int(np.ceil(3 * sigma)) + 1
    for frame, blurred in zip(clip, out['imgs']):
        expected = cv2.GaussianBlur(frame, (size, size), sigma,
                                    borderType=cv2.BORDER_REFLECT_101)
        assert np.abs(blurred - np.rint(expected)).max() <= 1
    np.testing.assert_array_equal(out['keypoint'], sample['keypoint'])


def test_elastic_matches_scipy():
    height, width = 24, 32
    clip = np.random.default_rng(3).uniform(0, 255, (2, 3, height, width))
    filt = Elastic(alpha=(30, 30), sigma=(4, 4))
    params = filt.draw(np.random.default_rng(0), height, width)
    out = filt.apply(torch.from_numpy(clip).float(), params).numpy()
    assert np.abs(out - clip).max() > 50
    noise = params['noise'][0].numpy().astype(np.float64)
    # Simard et al.: a smoothed uniform field, times alpha, in pixels.
    dx, dy = (30 * ndimage.gaussian_filter(n, 4, mode='constant', radius=12)
              for n in noise)
    rows, cols = np.mgrid[0:height, 0:width].astype(np.float64)
    assert 0.3 < np.abs(dx).mean() < 5  # a visible, small deformation
    for t in range(2):
        for c in range(3):
            expected = ndimage.map_coordinates(
                clip[t, c], [rows + dy, cols + dx], order=1, mode='reflect')
            np.testing.assert_allclose(out[t, c], expected, atol=1e-3)
    identity = filt.apply(torch.from_numpy(clip).float(),
                          dict(params, alpha=0.0)).numpy()
    np.testing.assert_allclose(identity, clip, atol=1e-3)


def test_flip_matches_mmaction2_flip():
    sample = make_sample()
    left, right = (1, 3), (2, 4)
    out = run(sample, filters=['flip'], left_kp=left, right_kp=right)
    ref = MMFlip(flip_ratio=1.0, left_kp=left, right_kp=right)(
        copy.deepcopy(sample))
    np.testing.assert_array_equal(np.stack(out['imgs']), np.stack(ref['imgs']))
    np.testing.assert_array_equal(out['keypoint'], ref['keypoint'])
    np.testing.assert_array_equal(out['keypoint_score'],
                                  ref['keypoint_score'])
    # By hand: joint 1 takes joint 2's mirrored x; the missing joint stays 0.
    x = sample['keypoint'][0, 1, 2, 0]
    assert out['keypoint'][0, 1, 1, 0] == pytest.approx(32 - x)
    assert out['keypoint'][0, 0, 0, 0] == 0
    assert out['flip'] is True and out['flip_direction'] == 'horizontal'


def test_modes_choose_one_some_or_all():
    sample = make_sample(frames=1, height=8, width=8)
    counts = set()
    for i in range(30):
        named = dict(sample, filename=f'clip{i}')
        assert len(run(named, mode='one')['augment_filters']) == 1
        chosen = run(named, mode='some')['augment_filters']
        assert len(set(chosen)) == len(chosen)
        counts.add(len(chosen))
        assert sorted(run(named, mode='all')['augment_filters']) == \
            sorted(FILTER_NAMES)
    assert min(counts) == 1 and max(counts) >= 5
    untouched = run(sample, mode='all', prob=0.0)
    assert untouched['augment_filters'] == ()
    np.testing.assert_array_equal(untouched['imgs'][0], sample['imgs'][0])


def test_the_epoch_hook_finds_it_and_training_warns_without_epoch():
    pipeline = Compose([ClipAugment()])
    assert epoch_keyed_transforms(type('D', (), {'pipeline': pipeline})) == \
        [pipeline.transforms[0]]
    with pytest.warns(UserWarning, match='never given an epoch'):
        ClipAugment()(make_sample())


@pytest.mark.parametrize('kwargs,error,field', [
    (dict(filters=['add', 'sharpen']), KeyError, 'filters\\[1\\]'),
    (dict(filters=[dict(type='add', factor=(1, 2))]), KeyError, "'factor'"),
    (dict(filters=[dict(type='salt', fraction=(0.1, 1.5))]), ValueError,
     'salt.fraction'),
    (dict(filters=[dict(type='blur', sigma=(2, 1))]), ValueError,
     'blur.sigma'),
    (dict(filters=[]), ValueError, 'filters'),
    (dict(mode='any'), ValueError, 'mode'),
    (dict(prob=1.5), ValueError, 'prob'),
    (dict(prob=-0.1), ValueError, 'prob'),
    (dict(left_kp=[1]), ValueError, 'left_kp'),
])
def test_bad_arguments_are_named(kwargs, error, field):
    with pytest.raises(error, match=field):
        ClipAugment(**kwargs)


def test_a_sample_without_identity_is_named():
    sample = make_sample()
    sample.pop('filename')
    with pytest.raises(KeyError, match='ClipAugment'):
        run(sample)
