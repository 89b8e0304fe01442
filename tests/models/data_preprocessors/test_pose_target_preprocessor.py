"""PoseTargetDataPreprocessor against mmaction2's per-sample transforms."""
import numpy as np
import pytest
import torch
from mmaction.datasets.transforms import FormatShape, GeneratePoseTarget

from mmhar_robust.datasets.transforms import PackPoseInputs
from mmhar_robust.models.data_preprocessors import PoseTargetDataPreprocessor
from mmhar_robust.registry import MODELS


def make_sample(seed: int,
                persons: int = 2,
                num_clips: int = 2,
                clip_len: int = 4,
                joints: int = 17,
                height: int = 20,
                width: int = 24) -> dict:
    """Two persons, missing joints, keypoints partly outside the frame,
    an all-zero person slot and a limb shorter than one pixel."""
    rng = np.random.default_rng(seed)
    frames = num_clips * clip_len
    kp = rng.uniform((-4, -4), (width + 4, height + 4),
                     size=(persons, frames, joints, 2)).astype(np.float32)
    score = rng.uniform(
        0, 1, size=(persons, frames, joints)).astype(np.float32)
    score[rng.uniform(size=score.shape) < 0.2] = 0  # missing joints
    kp[0, :, 3] = kp[0, :, 1] + 0.4  # limb (1, 3) shorter than a pixel
    if persons > 1:
        kp[-1, :2] = 0  # an all-zero person in two frames
        score[-1, :2] = 0
    return dict(
        keypoint=kp,
        keypoint_score=score,
        img_shape=(height, width),
        num_clips=num_clips,
        clip_len=clip_len,
        label=0,
        frame_dir=f'clip{seed}')


def reference(sample: dict, **kwargs) -> np.ndarray:
    results = GeneratePoseTarget(**kwargs)(dict(sample))
    return FormatShape('NCTHW_Heatmap')(results)['imgs']


def run(samples, **kwargs) -> torch.Tensor:
    packed = [PackPoseInputs()(dict(s)) for s in samples]
    pre = PoseTargetDataPreprocessor(**kwargs)
    data = dict(
        inputs=[p['inputs'] for p in packed],
        data_samples=[p['data_samples'] for p in packed])
    return pre(data)['inputs']


@pytest.mark.parametrize('kwargs', [
    dict(),
    dict(use_score=False),
    dict(double=True),
    dict(with_kp=False, with_limb=True),
    dict(with_kp=False, with_limb=True, double=True),
    dict(with_limb=True),
    dict(with_limb=True, double=True),
    dict(sigma=1.2, scaling=0.5),
])
def test_matches_generate_pose_target(kwargs):
    samples = [
        make_sample(seed, persons=p) for seed, p in enumerate((2, 1, 3))
    ]
    out = run(samples, **kwargs)
    for i, sample in enumerate(samples):
        expected = reference(sample, **kwargs)
        assert out[i].shape == expected.shape
        np.testing.assert_allclose(out[i].numpy(), expected, rtol=0, atol=1e-6)
    assert out.max() > 0.5  # heatmaps were drawn at all


def test_builds_from_registry():
    pre = MODELS.build(dict(type='PoseTargetDataPreprocessor', double=True))
    assert isinstance(pre, PoseTargetDataPreprocessor)
    assert pre.format_shape == 'NCTHW'


def test_pack_pose_inputs_repr_and_scores():
    pack = PackPoseInputs()
    assert repr(pack) == (
        "PackPoseInputs(double=False, collect_keys=None, meta_keys=("
        "'img_shape', 'num_clips', 'clip_len', 'frame_dir', 'img_key', "
        "'video_id', 'timestamp'))")
    sample = make_sample(0)
    del sample['keypoint_score']
    packed = pack(sample)
    assert packed['inputs'].shape == (2, 8, 17, 3)
    assert torch.equal(packed['inputs'][..., 2], torch.ones(2, 8, 17))
    assert packed['data_samples'].metainfo['clip_len'] == 4
    with pytest.raises(ValueError, match='clip_len'):
        PackPoseInputs(meta_keys=('img_shape', 'num_clips'))
    with pytest.raises(KeyError, match='num_clips'):
        pack(
            dict(
                keypoint=np.zeros((1, 2, 17, 2)), img_shape=(8, 8),
                clip_len=2))


@pytest.mark.parametrize('change, message', [
    (dict(clip_len=2, num_clips=4), r'clip_len 2 \(sample 0: 4\)'),
    (dict(joints=13), r'joints 13 \(sample 0: 17\)'),
    (dict(height=30), r'height 30 \(sample 0: 20\)'),
    (dict(num_clips=3), r'frames 12 \(sample 0: 8\)'),
])
def test_mixed_batch_names_the_sample(change, message):
    samples = [make_sample(0), make_sample(1, **change)]
    with pytest.raises(ValueError, match=f'sample 1 \\(clip1\\).*{message}'):
        run(samples)


def test_non_finite_input_names_the_sample():
    bad = make_sample(1)
    bad['keypoint_score'][0, 0, 0] = np.nan
    with pytest.raises(ValueError, match=r'sample 1 \(clip1\).*NaN'):
        run([make_sample(0), bad])
    # Without use_score the scores are unused, as in the original.
    expected = reference(bad, use_score=False)
    np.testing.assert_allclose(
        run([bad], use_score=False)[0].numpy(), expected, atol=1e-6)
    bad['keypoint'][1, 2, 3] = np.inf
    with pytest.raises(ValueError, match='non-finite keypoint'):
        run([bad])


def test_needs_kp_or_limb():
    with pytest.raises(ValueError, match='with_kp and with_limb'):
        PoseTargetDataPreprocessor(with_kp=False, with_limb=False)


def test_real_pipeline_matches_per_sample_rendering():
    """The demo's test pipeline (2 clips, flip) ending in mmaction2's
    renderer + FormatShape + PackActionInputs, against the same pipeline
    ending in PackPoseInputs + the preprocessor."""
    from mmaction.models import ActionDataPreprocessor
    from mmcv.transforms import Compose
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    head = [
        dict(
            type='UniformSampleFrames',
            clip_len=8,
            num_clips=2,
            test_mode=True),
        dict(type='PoseDecode'),
        dict(type='PoseCompact', hw_ratio=1.0, allow_imgpad=True),
        dict(type='Resize', scale=(-1, 40)),
        dict(type='CenterCrop', crop_size=32)
    ]
    per_sample = Compose(head + [
        dict(type='GeneratePoseTarget', double=True),
        dict(type='FormatShape', input_format='NCTHW_Heatmap'),
        dict(type='PackActionInputs')
    ])
    batched = Compose(head + [dict(type='PackPoseInputs')])
    rng = np.random.default_rng(3)
    raw = []
    for persons in (2, 1):
        kp = rng.uniform(100, 400, (persons, 30, 17, 2)).astype(np.float32)
        raw.append(
            dict(
                keypoint=kp,
                keypoint_score=rng.uniform(0, 1, (persons, 30, 17)).astype(
                    np.float32),
                total_frames=30,
                img_shape=(480, 640),
                original_shape=(480, 640),
                start_index=0,
                modality='Pose',
                label=0))
    expected = ActionDataPreprocessor(format_shape='NCTHW')(
        dict(
            inputs=[per_sample(dict(r))['inputs'] for r in raw],
            data_samples=[per_sample(dict(r))['data_samples'] for r in raw]))
    packed = [batched(dict(r)) for r in raw]
    out = PoseTargetDataPreprocessor(double=True)(
        dict(
            inputs=[p['inputs'] for p in packed],
            data_samples=[p['data_samples'] for p in packed]))
    assert out['inputs'].shape == (2, 4, 17, 8, 32, 32)
    assert expected['inputs'].amax() > 0.5
    torch.testing.assert_close(
        out['inputs'], expected['inputs'], rtol=0, atol=1e-6)


@pytest.mark.parametrize('mode', ['max', 'sum'])
def test_merge_equals_merge_heatmaps(mode):
    """Seed 001's grayscale input: MergeHeatmaps between the renderer and
    FormatShape, against merge= in the preprocessor."""
    from mmhar_robust.datasets.transforms import MergeHeatmaps
    samples = [make_sample(seed) for seed in (7, 8)]
    expected = []
    for sample in samples:
        results = GeneratePoseTarget()(dict(sample))
        results = MergeHeatmaps(mode)(results)
        expected.append(FormatShape('NCTHW_Heatmap')(results)['imgs'])
    out = run(samples, merge=mode)
    assert out.shape == (2, 2, 1, 4, 20, 24)
    assert out.amax() > 0.5
    torch.testing.assert_close(
        out, torch.from_numpy(np.stack(expected)), rtol=0, atol=1e-6)


def test_two_views_equal_for_each_view():
    """KeypointNoise(two_views=True) output: ForEachView over the per-sample
    renderer, against PackPoseInputs' views as clips."""
    from mmhar_robust.datasets.transforms import ForEachView
    samples = []
    for seed in (4, 5):
        sample = make_sample(seed, persons=2, num_clips=1, clip_len=6)
        noisy = make_sample(seed + 10, persons=2, num_clips=1, clip_len=6)
        for key in ('keypoint', 'keypoint_score'):
            sample[key] = np.concatenate([sample[key], noisy[key]])
        sample['view_persons'] = 2
        samples.append(sample)
    views = ForEachView([
        dict(type='GeneratePoseTarget'),
        dict(type='FormatShape', input_format='NCTHW_Heatmap')
    ])
    expected = np.stack([views(dict(s))['imgs'] for s in samples])
    out = run(samples)
    assert out.shape == expected.shape == (2, 2, 17, 6, 20, 24)
    # The views differ, so an order swap would fail.
    assert not torch.allclose(out[:, 0], out[:, 1])
    torch.testing.assert_close(
        out, torch.from_numpy(expected), rtol=0, atol=1e-6)


def test_views_that_do_not_split_name_the_sample():
    sample = dict(make_sample(1, persons=3), view_persons=2)
    with pytest.raises(ValueError, match='clip1 has 3 persons'):
        PackPoseInputs()(sample)


def test_channels_last_layout_same_values():
    samples = [make_sample(seed) for seed in (2, 3)]
    plain = run(samples)
    laid = run(samples, channels_last=True)
    assert laid.flatten(0, 1).is_contiguous(
        memory_format=torch.channels_last_3d)
    assert not plain.flatten(0, 1).is_contiguous(
        memory_format=torch.channels_last_3d)
    torch.testing.assert_close(laid, plain, rtol=0, atol=0)


def test_bad_merge_mode():
    with pytest.raises(ValueError, match="merge must be None, 'max' or"):
        PoseTargetDataPreprocessor(merge='mean')


def test_double_asked_by_the_pipeline():
    """PackPoseInputs(double=True) flips one batch (a test pipeline), the
    same preprocessor leaves another (validation) alone; a batch mixing
    them is refused."""
    samples = [make_sample(seed) for seed in (5, 6)]
    pre = PoseTargetDataPreprocessor()

    def batch(double):
        packed = [PackPoseInputs(double=d)(dict(s))
                  for s, d in zip(samples, double)]
        return dict(inputs=[p['inputs'] for p in packed],
                    data_samples=[p['data_samples'] for p in packed])

    flipped = pre(batch([True, True]))['inputs']
    torch.testing.assert_close(flipped, run(samples, double=True))
    assert pre(batch([False, False]))['inputs'].shape == (2, 2, 17, 4, 20,
                                                          24)
    with pytest.raises(ValueError, match=r'double True \(sample 0: False'):
        pre(batch([False, True]))
