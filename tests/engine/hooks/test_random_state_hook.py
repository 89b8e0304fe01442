"""RandomStateHook: the global random states survive a checkpoint, so a run
resumed after epoch 1 equals the uninterrupted one bit for bit."""
import copy
import io
import os.path as osp
import random
from unittest import mock

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.registry import DATASETS, MODELS
from mmengine.testing import RunnerTestCase

import mmhar_robust  # noqa: F401
from mmhar_robust.engine.hooks import random_state_hook
from mmhar_robust.engine.hooks.random_state_hook import (get_random_states,
                                                         set_random_states)


def _draws():
    """Draws from every generator the states cover, including the cached
    second Gaussians of python's ``gauss`` and numpy's legacy normal."""
    return (random.random(), random.gauss(0, 1),
            np.random.standard_normal(3).tolist(), np.random.rand(),
            torch.rand(4).tolist())


def _leaves(value):
    if isinstance(value, dict):
        for inner in value.values():
            yield from _leaves(inner)
    elif isinstance(value, (list, tuple)):
        for inner in value:
            yield from _leaves(inner)
    else:
        yield value


def test_states_restore_every_generator_after_a_weights_only_load():
    random.gauss(0, 1)  # leave a cached Gaussian in both generators
    np.random.standard_normal(1)
    buffer = io.BytesIO()
    torch.save(get_random_states(), buffer)
    expected = _draws()
    assert _draws() != expected  # the generators moved on
    buffer.seek(0)
    states = torch.load(buffer, weights_only=True)
    # Plain types only: no allow-list is needed to read them.
    assert all(
        isinstance(leaf, (torch.Tensor, int, float, str, type(None)))
        for leaf in _leaves(states))
    assert states['numpy']['has_gauss'] == 1
    assert states['python']['gauss_next'] is not None
    assert states['torch'].dtype == torch.uint8
    set_random_states(states)
    assert _draws() == expected


def test_incomplete_states_name_the_missing_field():
    states = get_random_states()
    del states['numpy']['keys']
    with pytest.raises(KeyError, match=r"random_states\['numpy'\]\['keys'\]"):
        set_random_states(states)
    states = get_random_states()
    states['numpy']['keys'] = torch.zeros(3, dtype=torch.int64)
    with pytest.raises(ValueError, match=r"random_states\['numpy'\]"):
        set_random_states(states)


class GlobalRNGToySet(torch.utils.data.Dataset):
    """Draws from python's, numpy's and torch's global generators, as
    mmaction2's training transforms do. In test mode it first re-seeds
    numpy's, as ``UniformSampleFrames(test_mode=True)`` does."""
    metainfo = dict()

    def __init__(self, test_mode=False):
        self.test_mode = test_mode
        self.inputs = torch.randn(
            10, 2, generator=torch.Generator().manual_seed(0))

    def __len__(self):
        return len(self.inputs)

    def __getitem__(self, idx):
        if self.test_mode:
            np.random.seed(255)
        noise = (
            torch.from_numpy(np.random.normal(size=2)).float() +
            random.random() + torch.rand(2))
        return dict(
            inputs=self.inputs[idx] + 0.1 * noise,
            data_samples=self.inputs[idx].sum(0, keepdim=True))


class DropoutToyModel(BaseModel):
    """Dropout draws from torch's global generator in every step."""

    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(2, 8), nn.Dropout(0.5), nn.Linear(8, 1))

    def forward(self, inputs, data_samples=None, mode='tensor'):
        outputs = self.layers(torch.stack(inputs))
        if mode == 'loss':
            return dict(loss=((outputs - torch.stack(data_samples))**2).mean())
        return outputs


class TestRandomStateHook(RunnerTestCase):

    def setUp(self):
        super().setUp()
        MODELS.register_module(module=DropoutToyModel, force=True)
        DATASETS.register_module(module=GlobalRNGToySet, force=True)
        cfg = self.epoch_based_cfg
        cfg.default_scope = 'mmaction'
        cfg.model = dict(type='DropoutToyModel')
        cfg.train_dataloader.dataset = dict(type='GlobalRNGToySet')
        cfg.val_dataloader.dataset = dict(
            type='GlobalRNGToySet', test_mode=True)
        cfg.train_cfg = dict(by_epoch=True, max_epochs=3, val_interval=1)
        cfg.randomness = dict(seed=0)
        cfg.custom_hooks = [dict(type='RandomStateHook')]

    def tearDown(self):
        MODELS.module_dict.pop('DropoutToyModel', None)
        DATASETS.module_dict.pop('GlobalRNGToySet', None)
        super().tearDown()

    def _train(self, name, resume_from=None, hook=True, epochs=3, **loader):
        cfg = copy.deepcopy(self.epoch_based_cfg)
        cfg.work_dir = osp.join(self.temp_dir.name, name)
        cfg.train_cfg.max_epochs = epochs
        cfg.train_dataloader.update(loader)
        if resume_from is not None:
            cfg.resume, cfg.load_from = True, resume_from
        if not hook:
            cfg.custom_hooks = []
        runner = self.build_runner(cfg)
        runner.train()
        return runner.model.state_dict(), cfg.work_dir

    def _assert_resume_equals_uninterrupted(self, **loader):
        """Epochs 1-3 (or 1-2) against epoch 1, then a resume."""
        whole, work_dir = self._train('whole', **loader)
        first = osp.join(work_dir, 'epoch_1.pth')
        resumed, _ = self._train('resumed', resume_from=first, **loader)
        assert whole.keys() == resumed.keys()
        for name, value in whole.items():
            assert torch.equal(value, resumed[name]), name

    def test_resume_equals_uninterrupted_without_workers(self):
        self._assert_resume_equals_uninterrupted(num_workers=0)

    def test_resume_equals_uninterrupted_with_non_persistent_workers(self):
        # MMEngine seeds the workers it starts for every epoch from the
        # seed, rank and worker id.
        self._assert_resume_equals_uninterrupted(
            epochs=2, num_workers=2, persistent_workers=False)

    def test_resume_without_a_configured_seed_takes_the_checkpoints(self):
        # randomness.seed None: each run draws a seed; Runner.resume adopts
        # the checkpoint's after the loader was built with the new one.
        self.epoch_based_cfg.randomness = dict(seed=None)
        self._assert_resume_equals_uninterrupted(
            epochs=2, num_workers=1, persistent_workers=False)

    def test_without_the_hook_the_resumed_run_differs(self):
        whole, work_dir = self._train('whole', hook=False)
        first = osp.join(work_dir, 'epoch_1.pth')
        assert 'random_states' not in torch.load(first, weights_only=True)
        resumed, _ = self._train('resumed', resume_from=first, hook=False)
        assert not all(torch.equal(v, resumed[k]) for k, v in whole.items())
        # With the hook, the file's missing states are named in a warning.
        with mock.patch.object(
                random_state_hook, 'print_log',
                wraps=random_state_hook.print_log) as log:
            self._train('warned', resume_from=first)
        assert any('has no random_states' in call.args[0]
                   for call in log.call_args_list)

    def test_checkpoint_holds_the_format_and_the_loader_seeds(self):
        _, work_dir = self._train('whole', epochs=1)
        saved = torch.load(
            osp.join(work_dir, 'epoch_1.pth'), weights_only=True)
        states = saved['random_states']
        assert (states['version'], states['world_size']) == (1, 1)
        # randomness.seed = 0: the sampler's and MMEngine's worker_init_fn's.
        assert states['sampler_seed'] == 0 and states['worker_seed'] == 0
        assert {'python', 'numpy', 'torch'} <= states.keys()

    def test_load_from_does_not_restore_states(self):
        _, work_dir = self._train('whole', epochs=1)
        cfg = copy.deepcopy(self.epoch_based_cfg)
        cfg.work_dir = osp.join(self.temp_dir.name, 'finetune')
        cfg.load_from = osp.join(work_dir, 'epoch_1.pth')
        cfg.train_cfg.max_epochs = 1
        runner = self.build_runner(cfg)
        with mock.patch.object(random_state_hook,
                               'set_random_states') as restore:
            runner.train()
        restore.assert_not_called()

    def test_persistent_workers_warn_on_resume(self):
        _, work_dir = self._train('whole', epochs=1)
        first = osp.join(work_dir, 'epoch_1.pth')
        with mock.patch.object(
                random_state_hook, 'print_log',
                wraps=random_state_hook.print_log) as log:
            self._train(
                'resumed',
                resume_from=first,
                epochs=2,
                num_workers=1,
                persistent_workers=True)
        assert any('persistent dataloader workers' in call.args[0]
                   for call in log.call_args_list)
