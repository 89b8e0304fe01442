"""Rendering: the person sits on the keypoints, the background elsewhere, and
the two variants differ only in the background."""
from collections import defaultdict

import numpy as np
import pytest

import mmhar_robust  # noqa: F401
from mmhar_robust.synthetic.video import (SyntheticVideoConfig,
                                          SyntheticVideoGenerator, Texture,
                                          fit_to_frame, render_person_mask,
                                          texture_bank)


def _gen(**kwargs):
    kwargs.setdefault('frames', 8)
    return SyntheticVideoGenerator(SyntheticVideoConfig(**kwargs))


@pytest.mark.parametrize('size, two_person_prob', [(64, 0.0), ((48, 80), 0.5)])
def test_person_drawn_on_keypoints_background_elsewhere(size, two_person_prob):
    gen = _gen(size=size, two_person_prob=two_person_prob)
    for label in (0, 4, 6, 10):
        ann, video, plate = gen.clip(2, label, 0)
        h, w = ann['img_shape']
        assert video.shape == plate.shape == (8, h, w, 3)
        kp, score = ann['keypoint'], ann['keypoint_score']
        assert kp.shape[1:] == (8, 17, 2) and (score[0] > 0).all()
        visible = kp[score > 0]
        assert (visible[:, 0] >= 0).all() and (visible[:, 0] < w).all()
        assert (visible[:, 1] >= 0).all() and (visible[:, 1] < h).all()
        changed = (video != plate).any(axis=-1)
        mask = render_person_mask(kp, score, (h, w))
        # Far from the people the video is the plate, pixel for pixel.
        assert not changed[mask == 0].any()
        # Inside the drawn shapes it is the person, not the background.
        assert changed[mask == 255].mean() > 0.98
        # Every visible keypoint's pixel is covered by the person.
        t = np.nonzero(score > 0)[1]
        px = np.floor(visible).astype(int)
        assert (mask[t, px[:, 1], px[:, 0]] > 0).mean() > 0.97
        assert changed[t, px[:, 1], px[:, 0]].mean() > 0.9


def test_biased_background_is_a_function_of_the_label():
    gen = _gen(variant='biased', num_subjects=6, repeats=2)
    seen = defaultdict(set)
    for subject in range(1, 7):
        for label in range(13):
            for repeat in range(2):
                seen[label].add(gen.background_id(subject, label, repeat))
    assert all(len(ids) == 1 for ids in seen.values())
    assert len(set.union(*seen.values())) == 13  # one texture per class


def test_unbiased_background_is_independent_of_the_label():
    gen = _gen(variant='unbiased', num_subjects=6, repeats=2)
    seen = defaultdict(list)
    for subject in range(1, 7):
        for label in range(13):
            for repeat in range(2):
                seen[label].append(gen.background_id(subject, label, repeat))
    # 12 clips per class over 13 textures: every class gets several.
    assert all(len(set(ids)) >= 4 for ids in seen.values())
    counts = np.bincount(sum(seen.values(), []), minlength=13)
    assert counts.min() >= 3  # every texture is used


def test_variants_share_the_skeleton_and_the_person():
    biased, unbiased = _gen(variant='biased'), _gen(variant='unbiased')
    differing = 0
    for label in range(13):
        ann_b, video_b, plate_b = biased.clip(1, label, 1)
        ann_u, video_u, plate_u = unbiased.clip(1, label, 1)
        np.testing.assert_array_equal(ann_b['keypoint'], ann_u['keypoint'])
        assert ann_b['frame_dir'] == ann_u['frame_dir']
        solid = render_person_mask(ann_b['keypoint'], ann_b['keypoint_score'],
                                   ann_b['img_shape']) == 255
        # The opaque person is the same (cv2's antialiasing may leave a level
        # of the background in a covered pixel); only the background differs.
        gap = np.abs(video_b[solid].astype(int) - video_u[solid])
        assert gap.max() <= 2 and (gap > 0).mean() < 0.01
        if ann_b['background'] != ann_u['background']:
            differing += 1
            assert (plate_b != plate_u).any()
    assert differing >= 6


def test_same_seed_same_arrays_other_seed_other_arrays():
    first = _gen(seed=3).clip(1, 5, 0)
    again = _gen(seed=3).clip(1, 5, 0)
    other = _gen(seed=4).clip(1, 5, 0)
    np.testing.assert_array_equal(first[1], again[1])
    np.testing.assert_array_equal(first[2], again[2])
    np.testing.assert_array_equal(first[0]['keypoint'], again[0]['keypoint'])
    assert not np.array_equal(first[1], other[1])


def test_textures_are_distinct_and_pan():
    bank = texture_bank(seed=0, num_textures=13)
    frames = np.stack([t.render((32, 32), 1)[0] for t in bank]).astype(float)
    for i in range(13):
        for j in range(i + 1, 13):
            assert np.abs(frames[i] - frames[j]).mean() > 10, (i, j)
    still = bank[0].render((32, 32), 5, pan=(0.0, 0.0))
    moving = bank[0].render((32, 32), 5, pan=(0.05, 0.0))
    assert (still[0] == still[-1]).all() and (moving[0] != moving[-1]).any()
    np.testing.assert_array_equal(
        Texture.sample(0, 7).render((16, 16), 2),
        texture_bank(0, 8)[7].render((16, 16), 2))
    flat = bank[3].render((16, 16), 2, contrast=0.0)
    half = bank[3].render((16, 16), 2, contrast=0.5).astype(float)
    assert (flat == flat[0, 0, 0]).all()
    full = bank[3].render((16, 16), 2).astype(float)
    assert np.abs(half - flat).max() == pytest.approx(
        np.abs(full - flat).max() / 2, abs=1)


def test_fit_to_frame_keeps_missed_joints_at_zero():
    kp = np.random.default_rng(0).uniform(100, 900, (1, 4, 17, 2))
    score = np.ones((1, 4, 17))
    score[0, 1, 3] = 0
    out = fit_to_frame(kp, score, (40, 60), fill=0.5)
    assert (out[0, 1, 3] == 0).all()
    visible = out[score > 0]
    assert visible[:, 0].min() > 60 * 0.25 - 1 and visible[:, 1].max() < 30
    with pytest.raises(ValueError, match='fill'):
        fit_to_frame(kp, score, (40, 60), fill=0)


@pytest.mark.parametrize('kwargs, match',
                         [(dict(variant='mixed'), 'variant'),
                          (dict(size=8), 'size'),
                          (dict(fourcc='XVID'), 'fourcc'),
                          (dict(fill_range=(0.5, 1.2)), 'fill_range'),
                          (dict(background_contrast=2), 'contrast')])
def test_bad_config_is_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SyntheticVideoConfig(**kwargs)
