"""KeypointNoiseEpochHook finds the epoch-keyed transforms of the training
set, through dataset wrappers and nested pipelines, and sets the epoch: in a
real training, each epoch draws its own noise and a resumed run draws what
the uninterrupted one drew."""
import copy
import os.path as osp
import warnings
from collections import defaultdict
from types import SimpleNamespace

import numpy as np
import torch
from mmcv.transforms import Compose
from mmengine.dataset import ConcatDataset, RepeatDataset
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import init_default_scope
from mmengine.testing import RunnerTestCase

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


class EpochNoiseToySet(torch.utils.data.Dataset):
    """Six one-joint clips at (50, 50) behind a training KeypointNoise; the
    noise each sample gets, per draw, is kept in ``drawn``."""
    metainfo = dict()

    def __init__(self):
        self.pipeline = Compose([KeypointNoise(level=0.01, scale='video')])
        self.drawn = defaultdict(list)

    @staticmethod
    def raw(index):
        return dict(
            frame_dir=f'clip{index}',
            keypoint=np.full((1, 1, 1, 2), 50, np.float32),
            img_shape=(100, 100))

    def __len__(self):
        return 6

    def __getitem__(self, index):
        noise = self.pipeline(self.raw(index))['keypoint'].reshape(2) - 50
        self.drawn[index].append(noise)
        return dict(
            inputs=torch.from_numpy(noise), data_samples=torch.tensor(0.))


class TestKeypointNoiseEpochHook(RunnerTestCase):

    def setUp(self):
        super().setUp()
        MMENGINE_DATASETS.register_module(module=EpochNoiseToySet)
        cfg = self.epoch_based_cfg
        cfg.default_scope = 'mmaction'
        cfg.train_dataloader.dataset = dict(type='EpochNoiseToySet')
        cfg.train_cfg = dict(by_epoch=True, max_epochs=3)
        for key in ('val_dataloader', 'val_evaluator', 'val_cfg',
                    'test_dataloader', 'test_evaluator', 'test_cfg'):
            cfg[key] = None
        cfg.custom_hooks = [dict(type='KeypointNoiseEpochHook')]

    def tearDown(self):
        MMENGINE_DATASETS.module_dict.pop('EpochNoiseToySet', None)
        super().tearDown()

    def _train(self, name, **cfg_options):
        cfg = copy.deepcopy(self.epoch_based_cfg)
        cfg.work_dir = osp.join(self.temp_dir.name, name)
        cfg.merge_from_dict(cfg_options)
        runner = self.build_runner(cfg)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            runner.train()
        never_set = [w for w in caught if 'never given an epoch' in str(
            w.message)]
        return runner.train_dataloader.dataset.drawn, never_set

    @staticmethod
    def _expected(index, epoch):
        """The noise of sample ``index`` at ``epoch``, drawn alone."""
        noise = KeypointNoise(level=0.01, scale='video')
        noise.set_epoch(epoch)
        raw = EpochNoiseToySet.raw(index)
        return noise(raw)['keypoint'].reshape(2) - 50

    def test_each_epoch_draws_its_own_noise(self):
        drawn, never_set = self._train('hooked')
        assert not never_set
        for index in range(6):
            assert len(drawn[index]) == 3
            for epoch, noise in enumerate(drawn[index]):
                np.testing.assert_array_equal(noise,
                                              self._expected(index, epoch))
            # std 0.01 x 100 px: three different draws of about 1 px.
            first, second, third = drawn[index]
            assert not np.array_equal(first, second)
            assert not np.array_equal(second, third)
            assert 0 < np.abs(first).max() < 6

    def test_a_resumed_run_draws_what_the_uninterrupted_one_drew(self):
        whole, _ = self._train('whole')
        first = osp.join(self.temp_dir.name, 'whole', 'epoch_1.pth')
        resumed, _ = self._train('resumed', resume=True, load_from=first)
        for index in range(6):
            assert len(resumed[index]) == 2  # epochs 1 and 2
            np.testing.assert_array_equal(resumed[index], whole[index][1:])

    def test_without_the_hook_every_epoch_draws_the_same_noise(self):
        drawn, never_set = self._train('unhooked', custom_hooks=[])
        assert never_set
        for index in range(6):
            np.testing.assert_array_equal(drawn[index],
                                          [self._expected(index, 0)] * 3)
