"""Where the sweep puts its noise, and whose settings it uses."""
import pytest
from mmcv.transforms import Compose

from mmhar_robust.datasets.transforms import KeypointNoise
from mmhar_robust.engine.runner import find_or_insert_noise


def _pipeline(*transforms):
    import mmhar_robust  # noqa: F401
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    from mmaction.registry import TRANSFORMS
    return Compose([TRANSFORMS.build(t) for t in transforms])


def test_inserted_before_the_first_geometric_transform():
    posec3d = _pipeline(
        dict(type='UniformSampleFrames', clip_len=8, test_mode=True),
        dict(type='PoseDecode'), dict(type='PoseCompact'),
        dict(type='FastGeneratePoseTarget'))
    noise = find_or_insert_noise(posec3d)
    assert posec3d.transforms[2] is noise
    assert (noise.scale, noise.seed, noise.test_mode) == ('motion', 0, True)
    gcn = _pipeline(dict(type='PreNormalize2D'),
                    dict(type='GenSkeFeat', dataset='coco', feats=['j']))
    noise = find_or_insert_noise(gcn, seed=3)
    assert gcn.transforms[0] is noise and noise.seed == 3


def test_the_pipelines_own_settings_are_kept_unless_overridden():
    """A 3D pipeline's scale='body' must survive a sweep that names no
    scale (video size is undefined in metres)."""
    pipeline = Compose([KeypointNoise(scale='body', seed=7)])
    noise = find_or_insert_noise(pipeline)
    assert (noise.scale, noise.seed, noise.test_mode) == ('body', 7, True)
    noise = find_or_insert_noise(pipeline, scale='video', seed=1)
    assert (noise.scale, noise.seed) == ('video', 1)


def test_refuses_pipelines_it_cannot_sweep():
    with pytest.raises(ValueError, match='several KeypointNoise'):
        find_or_insert_noise(Compose([KeypointNoise(), KeypointNoise()]))
    with pytest.raises(ValueError, match='two_views=True'):
        find_or_insert_noise(Compose([KeypointNoise(two_views=True)]))
    with pytest.raises(ValueError, match='cannot place KeypointNoise'):
        find_or_insert_noise(_pipeline(dict(type='PackActionInputs')))


def _posec3d():
    return _pipeline(
        dict(type='UniformSampleFrames', clip_len=8, test_mode=True),
        dict(type='PoseDecode'), dict(type='PoseCompact'),
        dict(type='FastGeneratePoseTarget'))


def test_default_scale_follows_the_data():
    """Seed 001's noise for 2D pixels, inserted before frame sampling; the
    body's size for 3D metres."""
    import numpy as np
    pixels = dict(keypoint=np.zeros((1, 5, 17, 2)), img_shape=(1080, 1920))
    pipeline = _posec3d()
    noise = find_or_insert_noise(pipeline, sample=pixels)
    assert noise.scale == 'seed001' and pipeline.transforms[0] is noise
    metres = dict(keypoint=np.zeros((1, 5, 25, 3)))
    pipeline = _posec3d()
    noise = find_or_insert_noise(pipeline, sample=metres)
    assert noise.scale == 'body' and pipeline.transforms[2] is noise


def test_a_seed001_noise_after_sampling_is_moved_before_it():
    pipeline = _posec3d()
    late = KeypointNoise(scale='motion')
    pipeline.transforms.insert(2, late)
    assert find_or_insert_noise(pipeline, scale='seed001') is late
    assert pipeline.transforms[0] is late and late.scale == 'seed001'
    assert len(pipeline.transforms) == 5


def test_refuses_a_dataset_without_keypoints():
    with pytest.raises(ValueError, match='RGB config'):
        find_or_insert_noise(_posec3d(), sample=dict(filename='a.mp4'))
