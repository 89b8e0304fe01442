"""KeypointNoiseEpochHook finds the epoch-keyed transforms of the training
set, through dataset wrappers and nested pipelines, and sets the epoch."""
from types import SimpleNamespace

from mmengine.dataset import ConcatDataset, RepeatDataset
from mmengine.registry import init_default_scope

from mmhar_robust.datasets.transforms import ForEachView, KeypointNoise
from mmhar_robust.engine.hooks import KeypointNoiseEpochHook
from mmhar_robust.engine.hooks.keypoint_noise_epoch_hook import \
    epoch_keyed_transforms
from mmhar_robust.registry import DATASETS


def _dataset(ann_file, inner_noise):
    init_default_scope('mmaction')
    pipeline = [
        dict(type='UniformSampleFrames', clip_len=4),
        dict(type='PoseDecode'),
        dict(type='ForEachView', transforms=[inner_noise]),
    ]
    return DATASETS.build(
        dict(type='PoseDataset', ann_file=ann_file, split='xsub_train',
             pipeline=pipeline))


def test_hook_sets_the_epoch_through_wrappers(tiny_synthetic):
    outer = KeypointNoise(level=0.01)
    inner = KeypointNoise(level=0.02)
    first = _dataset(tiny_synthetic, inner)
    first.pipeline.transforms.insert(0, outer)
    second = _dataset(tiny_synthetic, KeypointNoise(level=0.03))
    assert epoch_keyed_transforms(RepeatDataset(first, times=2)) == [
        outer, inner
    ]
    wrapped = ConcatDataset([first, second])
    found = epoch_keyed_transforms(wrapped)
    assert len(found) == 3 and outer in found and inner in found
    assert not any(isinstance(t, ForEachView) for t in found)
    runner = SimpleNamespace(epoch=5,
                             train_dataloader=SimpleNamespace(dataset=wrapped))
    KeypointNoiseEpochHook().before_train_epoch(runner)
    assert [t.epoch for t in found] == [5, 5, 5]
