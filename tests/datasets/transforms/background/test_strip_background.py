import copy
import os.path as osp
import pickle

import cv2
import numpy as np
import pytest

import mmhar_robust  # noqa: F401  (patches before mmaction imports)
from mmhar_robust.datasets.transforms.background import (FILL_MODES,
                                                         RecordPoseShape,
                                                         StripBackground,
                                                         person_mask)

H, W, T = 48, 64, 16
# A COCO-17 figure (x, y): about 12 x 32 px, walking right 2 px per frame.
FIGURE = 0.35 * np.array(
    [[50, 20], [48, 18], [52, 18], [45, 19], [55, 19], [40, 35], [60, 35],
     [35, 50], [65, 50], [33, 65], [67, 65], [44, 70], [56, 70], [44, 90],
     [56, 90], [44, 110], [56, 110]],
    dtype=np.float64)


def walking_keypoints(scale: float = 1.0) -> np.ndarray:
    """``(1, T, 17, 2)`` keypoints of the whole video."""
    steps = np.arange(T)[:, None, None] * [2.0, 0.0]
    return (scale * (FIGURE[None] + steps))[None].astype(np.float32)


def textured_video(seed: int = 0) -> np.ndarray:
    """``(T, H, W, 3)`` uint8 frames of noise in [1, 255] (never 0)."""
    rng = np.random.default_rng(seed)
    return rng.integers(1, 256, size=(T, H, W, 3), dtype=np.uint8)


def make_results(
        frame_inds=(0, 5, 10), start_index=0, frame_dir='clip0', video=None):
    video = textured_video() if video is None else video
    inds = np.asarray(frame_inds, dtype=np.int32)
    kp = walking_keypoints()
    return dict(
        frame_dir=frame_dir,
        imgs=[video[i - start_index].copy() for i in inds],
        frame_inds=inds,
        start_index=start_index,
        total_frames=T,
        keypoint=kp,
        keypoint_score=np.ones(kp.shape[:-1], dtype=np.float32),
        img_shape=(H, W))


def expected_person(results, mask='box'):
    inds = np.asarray(results['frame_inds']) - results['start_index']
    return person_mask(
        results['keypoint'][:, inds], img_shape=(H, W), mode=mask)


def write_png(path, colour, size=(H, W)):
    image = np.zeros(size + (3, ), np.uint8)
    image[:] = colour[::-1]  # RGB colour, cv2 writes BGR
    cv2.imwrite(str(path), image)
    return str(path)


@pytest.mark.parametrize('mask', ['box', 'silhouette'])
@pytest.mark.parametrize('fill', FILL_MODES)
def test_background_changes_and_person_pixels_stay_identical(
        tmp_path, fill, mask):
    source = write_png(tmp_path / 'beach.png', (10, 20, 30))
    results = make_results()
    before = np.stack(results['imgs'])
    person = expected_person(results, mask)
    out = StripBackground(
        mask=mask, fill=fill, swap_source=source).transform(results)
    after = np.stack(out['imgs'])
    assert after.shape == before.shape and after.dtype == np.uint8
    np.testing.assert_array_equal(after[person], before[person])
    bg_before, bg_after = before[~person], after[~person]
    changed = (bg_after != bg_before).any(axis=-1).mean()
    assert changed > 0.99
    assert out['person_fraction'] == pytest.approx(person.mean())
    if fill == 'black':
        assert not bg_after.any()
    elif fill == 'mean':
        mean = np.round(bg_before.mean(axis=0)).astype(np.uint8)
        assert (bg_after == mean).all()
    elif fill == 'blur':  # smooth: far less spread than the noise texture
        assert bg_after.astype(float).std(axis=0).max() < 0.3 * (
            bg_before.astype(float).std(axis=0).min())
    elif fill == 'swap':
        assert (bg_after == [10, 20, 30]).all()
    else:  # noise: a fresh texture, unrelated to the old one
        corr = np.corrcoef(bg_after.ravel(), bg_before.ravel())[0, 1]
        assert abs(corr) < 0.05 and bg_after.std() > 50


def test_blur_does_not_smear_the_person_into_the_background():
    video = np.full((T, H, W, 3), 100, np.uint8)
    results = make_results(video=video)
    person = expected_person(results)
    for img, m in zip(results['imgs'], person):
        img[m] = 255  # a bright person on a grey scene
    out = StripBackground(fill='blur', blur_kernel=41).transform(results)
    after = np.stack(out['imgs'])
    assert (after[~person] == 100).all()
    assert (after[person] == 255).all()


def test_frames_meet_their_keypoints_through_start_index():
    results = make_results(frame_inds=(2, 6, 10), start_index=1)
    out = StripBackground(keep_mask=True).transform(results)
    inds = np.array([1, 5, 9])
    right = person_mask(results['keypoint'][:, inds], img_shape=(H, W))
    wrong = person_mask(results['keypoint'][:, inds + 1], img_shape=(H, W))
    np.testing.assert_array_equal(out['person_mask'], right)
    assert (right != wrong).any()


def test_pose_shape_rescales_keypoints_to_the_decoded_frames():
    reference = StripBackground(keep_mask=True).transform(make_results())
    results = make_results()
    # Annotated at 2x: the pixel centred at x is the 2x frame's 2x + 0.5
    # (the frames' outer edges meet: -0.5 -> -0.5, W - 0.5 -> 2W - 0.5).
    results['keypoint'] = results['keypoint'] * 2 + 0.5
    results['img_shape'] = (2 * H, 2 * W)
    results = RecordPoseShape().transform(results)
    assert results['pose_shape'] == (2 * H, 2 * W)
    results['img_shape'] = (H, W)  # what the decoder writes
    out = StripBackground(keep_mask=True).transform(results)
    np.testing.assert_array_equal(out['person_mask'], reference['person_mask'])
    # The keypoints that travel on are in the decoded frame too (every frame
    # of the video, not only the decoded ones), and pose_shape is spent.
    assert out['keypoint'].dtype == np.float32
    np.testing.assert_allclose(out['keypoint'], walking_keypoints(), atol=1e-5)
    assert 'pose_shape' not in out
    bad = make_results()
    bad['keypoint'] = bad['keypoint'] * 4
    with pytest.raises(ValueError, match="frame_dir='clip0'.*RecordPose"):
        StripBackground().transform(bad)


def test_noise_is_fixed_per_seed_sample_and_frame():
    state = np.random.get_state()[1].copy()

    def noise(seed=0, frame_dir='clip0', frame_inds=(0, 5, 10)):
        results = make_results(frame_inds=frame_inds, frame_dir=frame_dir)
        out = StripBackground(fill='noise', seed=seed).transform(results)
        return np.stack(out['imgs'])

    first = noise()
    np.testing.assert_array_equal(first, noise())
    assert (first != noise(frame_dir='clip1')).mean() > 0.5
    assert (first != noise(seed=1)).mean() > 0.5
    # Frame 5 looks the same in any clip of the sample; frames differ.
    other_clip = noise(frame_inds=(5, 11, 12))
    np.testing.assert_array_equal(first[1, :2], other_clip[0, :2])
    assert (first[0, :2] != first[1, :2]).mean() > 0.5
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_gaussian_noise_is_centred_on_grey():
    results = make_results()
    person = expected_person(results)
    out = StripBackground(fill='noise', noise='gaussian').transform(results)
    bg = np.stack(out['imgs'])[~person].astype(float)
    assert abs(bg.mean() - 127.5) < 3 and 50 < bg.std() < 70


def write_video(path, frames_rgb, fps=10):
    h, w = frames_rgb.shape[1:3]
    writer = cv2.VideoWriter(
        str(path), cv2.VideoWriter_fourcc(*'mp4v'), fps, (w, h))
    for frame in frames_rgb:
        writer.write(np.ascontiguousarray(frame[..., ::-1]))
    writer.release()
    return str(path)


def test_swap_reads_the_source_video_at_the_same_relative_time(tmp_path):
    levels = np.arange(24) * 10  # source frame k is grey level 10k
    source = write_video(
        tmp_path / 'street.mp4',
        np.repeat(levels, 32 * 40 * 3).reshape(24, 32, 40, 3).astype(np.uint8))
    results = make_results(frame_inds=(0, 6, 11))
    results['total_frames'] = 12
    person = expected_person(results)
    out = StripBackground(fill='swap', swap_source=source).transform(results)
    after = np.stack(out['imgs']).astype(int)
    for i, level in enumerate([0, 120, 220]):  # source frames 0, 12, 22
        assert np.abs(after[i][~person[i]] - level).max() <= 6


def test_swap_choice_is_per_sample_and_skips_the_own_video(tmp_path):
    folder = tmp_path / 'scenes'
    folder.mkdir()
    colours = [(200, 0, 0), (0, 200, 0), (0, 0, 200)]
    for i, c in enumerate(colours):
        write_png(folder / f'scene{i}.png', c, size=(24, 32))
    transform = StripBackground(fill='swap', swap_source=str(folder))

    def colour_of(frame_dir):
        results = make_results(frame_dir=frame_dir)
        img = transform.transform(results)['imgs'][0]
        return tuple(int(v) for v in img[0, 0])

    picks = [colour_of(f'clip{i}') for i in range(12)]
    assert picks == [colour_of(f'clip{i}') for i in range(12)]
    assert set(picks) <= set(colours) and len(set(picks)) > 1
    own = write_video(tmp_path / 'own.mp4', textured_video())
    swap = StripBackground(
        fill='swap', swap_source=[own, str(folder / 'scene1.png')])
    for i in range(6):
        results = make_results(frame_dir=f'clip{i}')
        results['filename'] = own
        assert tuple(swap.transform(results)['imgs'][0][0, 0]) == (0, 200, 0)


def test_keep_mask_and_drop_pose():
    out = StripBackground(
        keep_mask=True, drop_pose=True).transform(make_results())
    assert out['person_mask'].shape == (3, H, W)
    assert 'keypoint' not in out and 'keypoint_score' not in out
    out = StripBackground().transform(make_results())
    assert 'person_mask' not in out and out['keypoint'].shape[1] == T


def test_repr():
    t = StripBackground(
        mask='silhouette',
        margin=0.2,
        limb_width=5,
        score_thr=0.3,
        fill='noise',
        blur_kernel=21,
        noise='gaussian',
        seed=3,
        keep_mask=True,
        drop_pose=True,
        edges=[[0, 1], (1, 2)])
    assert repr(t) == (
        "StripBackground(mask='silhouette', margin=0.2, limb_width=5, "
        "score_thr=0.3, fill='noise', blur_kernel=21, noise='gaussian', "
        'swap_source=None, seed=3, keep_mask=True, drop_pose=True, '
        'edges=[(0, 1), (1, 2)])')
    assert repr(StripBackground()).endswith('drop_pose=False, edges=None)')
    assert repr(RecordPoseShape()) == 'RecordPoseShape()'


def test_bad_settings_are_refused(tmp_path):
    with pytest.raises(ValueError, match="'black', 'mean', 'blur'"):
        StripBackground(fill='grey')
    with pytest.raises(ValueError, match="'box', 'silhouette'"):
        StripBackground(mask='outline')
    with pytest.raises(ValueError, match="'uniform', 'gaussian'"):
        StripBackground(fill='noise', noise='pink')
    with pytest.raises(ValueError, match='swap_source'):
        StripBackground(fill='swap')
    with pytest.raises(FileNotFoundError, match='nowhere.mp4'):
        StripBackground(fill='swap', swap_source=str(tmp_path / 'nowhere.mp4'))
    (tmp_path / 'empty').mkdir()
    with pytest.raises(ValueError, match='no video or image'):
        StripBackground(fill='swap', swap_source=str(tmp_path / 'empty'))
    with pytest.raises(ValueError, match='blur_kernel'):
        StripBackground(fill='blur', blur_kernel=20)


def test_bad_samples_name_the_sample_and_the_field(tmp_path):
    t = StripBackground()
    results = make_results()
    del results['keypoint']
    with pytest.raises(ValueError, match="frame_dir='clip0'.*keypoint"):
        t.transform(results)
    results = make_results()
    del results['frame_dir'], results['keypoint']
    results['filename'] = 'dance.mp4'
    with pytest.raises(ValueError, match="filename='dance.mp4'.*keypoint"):
        t.transform(results)
    results = make_results()
    results['keypoint'] = results['keypoint'][..., :1]
    with pytest.raises(ValueError, match=r'clip0.*\(1, 16, 17, 1\)'):
        t.transform(results)
    results = make_results()
    results['keypoint_score'] = results['keypoint_score'][:, :3]
    with pytest.raises(ValueError, match='keypoint_score of'):
        t.transform(results)
    results = make_results()
    results['frame_inds'] = np.array([0, 5, 16], np.int32)
    with pytest.raises(ValueError, match='reach 0..16.*16 frames'):
        t.transform(results)
    results = make_results()
    results['imgs'] = [img.astype(np.float32) for img in results['imgs']]
    with pytest.raises(ValueError, match='uint8'):
        t.transform(results)
    junk = tmp_path / 'broken.mp4'
    junk.write_bytes(b'not a video at all')
    swap = StripBackground(fill='swap', swap_source=str(junk))
    with pytest.raises(ValueError, match="broken.mp4.*frame_dir='clip0'"):
        swap.transform(make_results())


def make_video_sample(tmp_path, scale=1):
    """A textured green scene, a red person walking, and its pose."""
    rng = np.random.default_rng(1)
    video = np.zeros((T, H, W, 3), np.uint8)
    video[..., 1] = rng.integers(170, 230, size=(T, H, W))
    video[..., 0] = video[..., 2] = 30
    kp = walking_keypoints()
    for t in range(T):
        x0, y0 = np.floor(kp[0, t].min(0)).astype(int) - 6
        x1, y1 = np.ceil(kp[0, t].max(0)).astype(int) + 6
        video[t, max(y0, 0):y1 + 1, max(x0, 0):x1 + 1] = (220, 20, 20)
    path = write_video(tmp_path / 'walk.mp4', video)
    kp = walking_keypoints(scale)
    return dict(
        filename=path,
        frame_dir='walk',
        label=0,
        start_index=0,
        modality='RGB',
        total_frames=T,
        img_shape=(H * scale, W * scale),
        original_shape=(H * scale, W * scale),
        keypoint=kp,
        keypoint_score=np.ones(kp.shape[:-1], np.float32))


def run_pipeline(pipeline, sample):
    from mmengine.dataset import Compose
    from mmengine.registry import DefaultScope
    with DefaultScope.overwrite_default_scope('mmaction'):
        return Compose(copy.deepcopy(pipeline))(copy.deepcopy(sample))


DECODERS = {
    'decord': [dict(type='DecordInit'), 'sample',
               dict(type='DecordDecode')],
    'opencv': [dict(type='OpenCVInit'), 'sample',
               dict(type='OpenCVDecode')],
}


def with_sampler(decoder, sampler):
    return [
        sampler if step == 'sample' else step for step in DECODERS[decoder]
    ]


@pytest.mark.parametrize('decoder', sorted(DECODERS))
def test_test_pipeline_keeps_the_person_and_blacks_the_scene(
        tmp_path, decoder):
    sample = make_video_sample(tmp_path)
    head = with_sampler(
        decoder,
        dict(
            type='SampleFrames',
            clip_len=4,
            frame_interval=2,
            num_clips=2,
            test_mode=True))
    tail = [
        dict(type='Resize', scale=(-1, 96), interpolation='nearest'),
        dict(type='CenterCrop', crop_size=80),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs')
    ]
    strip = dict(type='StripBackground', mask='box', margin=0.1)
    plain = run_pipeline(head + tail, sample)['inputs'].numpy()
    stripped = run_pipeline(head + [strip] + tail, sample)['inputs'].numpy()
    assert stripped.shape == plain.shape == (2, 3, 4, 80, 80)
    zero = (stripped == 0).all(axis=1)
    kept = (stripped == plain).all(axis=1)
    assert (zero | kept).all()
    assert 0.3 < zero.mean() < 0.95
    red, green = plain[:, 0].astype(int), plain[:, 1].astype(int)
    # Every scene pixel went (the person's red box is wider than the mask),
    # and only person pixels stayed.
    assert zero[green > red].all()
    assert (red[~zero] > green[~zero]).all()


@pytest.mark.parametrize('mask', ['box', 'silhouette'])
def test_train_pipeline_leaves_no_scene_pixels(tmp_path, mask):
    sample = make_video_sample(tmp_path)
    head = with_sampler(
        'decord', dict(type='SampleFrames', clip_len=4, frame_interval=2))
    tail = [
        dict(type='Resize', scale=(-1, 64)),
        dict(type='RandomResizedCrop', area_range=(0.5, 1.0)),
        dict(type='Resize', scale=(56, 56), keep_ratio=False),
        dict(type='Flip', flip_ratio=0.5),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs')
    ]
    strip = dict(type='StripBackground', mask=mask, fill='black')
    plain = run_pipeline(head + tail, sample)['inputs'].numpy()
    stripped = run_pipeline(head + [strip] + tail, sample)['inputs'].numpy()
    assert stripped.shape == plain.shape == (1, 3, 4, 56, 56)
    assert plain[:, 1].max() > 150 and stripped[:, 1].max() < 100


def test_pose_dataset_with_a_video_at_another_resolution(tmp_path):
    from mmaction.registry import DATASETS
    from mmengine.registry import DefaultScope
    sample = make_video_sample(tmp_path, scale=2)  # pose made at 2x
    sample['filename'] = osp.basename(sample['filename'])
    ann_file = str(tmp_path / 'walk.pkl')
    with open(ann_file, 'wb') as f:
        pickle.dump([sample], f)
    pipeline = [
        dict(type='DecordInit'),
        dict(type='SampleFrames', clip_len=4, num_clips=1, test_mode=True),
        dict(type='RecordPoseShape'),
        dict(type='DecordDecode'),
        dict(type='StripBackground', mask='silhouette', fill='mean'),
        dict(type='Resize', scale=(-1, 56)),
        dict(type='CenterCrop', crop_size=56),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs')
    ]
    with DefaultScope.overwrite_default_scope('mmaction'):
        dataset = DATASETS.build(
            dict(
                type='PoseDataset',
                ann_file=ann_file,
                data_prefix=dict(video=str(tmp_path)),
                pipeline=pipeline,
                test_mode=True))
        inputs = dataset[0]['inputs'].numpy()
        without_record = copy.deepcopy(dataset)
        without_record.pipeline.transforms.pop(2)
        with pytest.raises(ValueError, match="walk.*RecordPoseShape"):
            without_record[0]
    assert inputs.shape == (1, 3, 4, 56, 56)
    red, green = inputs[:, 0].astype(int), inputs[:, 1].astype(int)
    # The textured scene (green 170..230) became one flat colour, and the
    # red person is still there: the keypoints were rescaled to the video.
    _, counts = np.unique(
        inputs.transpose(0, 2, 3, 4, 1).reshape(-1, 3),
        axis=0,
        return_counts=True)
    assert counts.max() > 0.5 * green.size
    assert ((green > 165) & (red < 80)).mean() < 0.01
    assert (red > green + 100).mean() > 0.05


def test_noise_needs_the_sample_identity():
    def noise(**identity):
        results = make_results()
        del results['frame_dir']
        results.update(identity)
        out = StripBackground(fill='noise').transform(results)
        return np.stack(out['imgs'])

    # The shared identity order: frame_dir, filename, video_id, sample_idx.
    np.testing.assert_array_equal(
        noise(frame_dir='clip0', sample_idx=4), noise(frame_dir='clip0'))
    np.testing.assert_array_equal(noise(video_id='v', sample_idx=4),
                                  noise(video_id='v', sample_idx=5))
    assert (noise(sample_idx=4) != noise(sample_idx=5)).mean() > 0.5
    # Before, every unnamed sample drew the same noise; now it is refused.
    with pytest.raises(KeyError, match='StripBackground needs the sample '
                       'identity'):
        noise()
    # Black fill draws nothing and needs no identity.
    results = make_results()
    del results['frame_dir']
    StripBackground(fill='black').transform(results)
