"""The synthetic set: format, determinism, split, and class differences that a
recognizer can learn."""
import numpy as np
import pytest

from mmhar_robust.synthetic import (CLASS_NAMES, SyntheticSkeletonConfig,
                                    SyntheticSkeletonGenerator)


def _gen(**kwargs):
    kwargs.setdefault('num_subjects', 3)
    kwargs.setdefault('repeats', 1)
    return SyntheticSkeletonGenerator(SyntheticSkeletonConfig(**kwargs))


def test_coco_2d_format_matches_mmaction_pose_dataset():
    data = _gen().generate()
    assert set(data) == {'split', 'annotations'}
    assert len(data['annotations']) == 3 * len(CLASS_NAMES)
    for ann in data['annotations']:
        kp, score = ann['keypoint'], ann['keypoint_score']
        m, t = kp.shape[:2]
        assert kp.dtype == np.float32 and score.dtype == np.float32
        assert kp.shape == (m, t, 17, 2) and score.shape == (m, t, 17)
        assert m in (1, 2) and 40 <= t <= 150 and ann['total_frames'] == t
        h, w = ann['img_shape']
        assert ann['original_shape'] == (h, w)
        visible = score > 0
        assert (kp[visible] >= 0).all() and (kp[visible, 0] < w).all()
        assert (kp[visible, 1] < h).all()
        # Missed joints are zeros with score 0, MMAction2's convention.
        assert (kp[~visible] == 0).all()
        assert 0 <= ann['label'] < len(CLASS_NAMES)


def test_ntu_3d_layout_in_metres():
    data = _gen(layout='nturgb+d', jitter=0.005).generate()
    ann = data['annotations'][0]
    assert ann['keypoint'].shape[2:] == (25, 3)
    assert 'keypoint_score' not in ann
    kp = ann['keypoint'][0]
    ok = (kp != 0).any(-1)
    # Depth in front of the camera at 3-6 m; a body about 1.5-2 m tall.
    assert 2.0 < np.median(kp[ok][:, 2]) < 7.0
    head, foot = kp[:, 3, 1], kp[:, 15, 1]
    height = np.median(head - foot)
    assert height > 1.2 and height < 2.1


def test_same_seed_same_data_and_clips_independent_of_set_size():
    a = _gen(seed=5).clip(2, 4, 0)
    b = _gen(seed=5, num_subjects=9, repeats=3).clip(2, 4, 0)
    np.testing.assert_array_equal(a['keypoint'], b['keypoint'])
    c = _gen(seed=6).clip(2, 4, 0)
    assert a['keypoint'].shape != c['keypoint'].shape or not np.array_equal(
        a['keypoint'], c['keypoint'])


def test_cross_subject_split_separates_subjects():
    gen = _gen(num_subjects=5, train_fraction=0.6)
    data = gen.generate()
    subject = {a['frame_dir']: a['subject'] for a in data['annotations']}
    train = {subject[f] for f in data['split']['xsub_train']}
    val = {subject[f] for f in data['split']['xsub_val']}
    assert train == {1, 2, 3} and val == {4, 5}
    assert len(data['split']['xsub_train']) + len(
        data['split']['xsub_val']) == len(data['annotations'])


def _motion(ann, joints):
    """Mean frame-to-frame displacement of some joints, in person heights."""
    kp = ann['keypoint'][0]
    score = ann['keypoint_score'][0]
    ok = (score[1:] > 0) & (score[:-1] > 0)
    step = np.linalg.norm(np.diff(kp, axis=0), axis=-1)
    body_h = np.ptp(kp[score > 0][:, 1])
    return np.mean([step[:, j][ok[:, j]].mean() for j in joints]) / body_h


def _clips(gen, name, n=6):
    label = gen.class_names.index(name)
    return [gen.clip(s, label, r) for s in (1, 2, 3) for r in range(n // 3)]


def test_whole_body_classes_move_the_legs_local_ones_do_not():
    gen = _gen(drop_prob=0.0, jitter=0.0, two_person_prob=0.0)
    legs, wrists = tuple(range(11, 17)), (9, 10)  # hips, knees, ankles
    for whole in ('jump', 'squat', 'stomp_fast', 'walk'):
        for local in ('wave', 'clap', 'touch_head', 'point'):
            legs_whole = np.mean(
                [_motion(a, legs) for a in _clips(gen, whole)])
            legs_local = np.mean(
                [_motion(a, legs) for a in _clips(gen, local)])
            assert legs_whole > 3 * legs_local, (whole, local)
    arms_local = np.mean([_motion(a, wrists) for a in _clips(gen, 'wave')])
    legs_wave = np.mean([_motion(a, legs) for a in _clips(gen, 'wave')])
    assert arms_local > 5 * legs_wave


def test_amplitude_and_speed_pairs_differ_in_amplitude_and_speed():
    gen = _gen(drop_prob=0.0, jitter=0.0, two_person_prob=0.0)

    def wrist_span(ann):
        kp = ann['keypoint'][0, :, 9]  # left wrist
        return np.ptp(kp, axis=0).max() / np.ptp(ann['keypoint'][0, :, :, 1])

    narrow = np.mean([wrist_span(a) for a in _clips(gen, 'arm_circle_narrow')])
    wide = np.mean([wrist_span(a) for a in _clips(gen, 'arm_circle_wide')])
    assert wide > 2 * narrow

    def knee_freq(ann):
        y = ann['keypoint'][0, :, 13, 1]  # left knee height in pixels
        y = y - y.mean()
        spectrum = np.abs(np.fft.rfft(y, n=1024))
        return np.fft.rfftfreq(1024, d=1 / 30.0)[spectrum[1:].argmax() + 1]

    slow = np.median([knee_freq(a) for a in _clips(gen, 'stomp_slow')])
    fast = np.median([knee_freq(a) for a in _clips(gen, 'stomp_fast')])
    assert fast > 1.8 * slow


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match='unknown classes'):
        SyntheticSkeletonConfig(classes=['wave', 'fly'])
    with pytest.raises(ValueError, match='layout'):
        SyntheticSkeletonConfig(layout='h36m')
    with pytest.raises(ValueError, match='num_subjects'):
        SyntheticSkeletonConfig(num_subjects=1)


def test_dump_writes_pickle_and_skips_when_up_to_date(tmp_path):
    gen = _gen(classes=['wave', 'jump'])
    path = str(tmp_path / 'syn.pkl')
    assert gen.dump_if_changed(path) is not None
    assert (tmp_path /
            'syn_classes.txt').read_text().split() == ['wave', 'jump']
    assert gen.dump_if_changed(path) is None
    assert _gen(classes=['wave', 'jump'], seed=1).dump_if_changed(path)
