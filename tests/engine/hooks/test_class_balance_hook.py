"""ClassBalanceHook weights CrossEntropyLoss and CBFocalLoss from the labels
of the train set, in a real Runner and after a resume."""
import copy
import os.path as osp
from unittest import mock

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModel
from mmengine.registry import DATASETS, MODELS, DefaultScope
from mmengine.testing import RunnerTestCase

import mmhar_robust  # noqa: F401
from mmaction.models.losses import CBFocalLoss
from mmhar_robust.datasets.class_statistics import (effective_number_weights,
                                                    inverse_frequency_weights)
from mmhar_robust.engine.hooks import class_balance_hook
from mmhar_robust.engine.hooks.class_balance_hook import ClassBalanceHook
from mmhar_robust.registry import MODELS as MMACTION_MODELS

# 6 / 3 / 1 samples; 2 epochs of 4 batches of 3 (the last one 1).
LABELS = [0, 1, 0, 2, 0, 1, 0, 0, 1, 0]
COUNTS = np.array([6, 3, 1])


class ImbalancedToySet(torch.utils.data.Dataset):
    """Fixed 4-d inputs; labels readable without loading, as BABEL's."""
    metainfo = dict(classes=('a', 'b', 'c'))

    def __init__(self):
        generator = torch.Generator().manual_seed(0)
        self.inputs = torch.randn(len(LABELS), 4, generator=generator)

    def __len__(self):
        return len(LABELS)

    def __getitem__(self, idx):
        return dict(
            inputs=self.inputs[idx], data_samples=torch.tensor(LABELS[idx]))

    def get_data_info(self, idx):
        return dict(label=LABELS[idx])


class ToyHead(nn.Module):

    def __init__(self, num_classes, loss_cls):
        super().__init__()
        self.num_classes = num_classes
        self.fc = nn.Linear(4, num_classes)
        self.loss_cls = MMACTION_MODELS.build(loss_cls)


class ToyRecognizer(BaseModel):
    """A head with mmaction2's num_classes and loss_cls at cls_head."""

    def __init__(self, loss_cls=None, num_classes=3, data_preprocessor=None):
        super().__init__(data_preprocessor=data_preprocessor)
        self.cls_head = ToyHead(num_classes, loss_cls
                                or dict(type='CrossEntropyLoss'))

    def forward(self, inputs, data_samples=None, mode='tensor'):
        scores = self.cls_head.fc(torch.stack(inputs))
        if mode == 'loss':
            return dict(
                loss_cls=self.cls_head.loss_cls(scores,
                                                torch.stack(data_samples)))
        return scores


class TestClassBalanceHook(RunnerTestCase):

    def setUp(self):
        super().setUp()
        MODELS.register_module(module=ToyRecognizer, force=True)
        DATASETS.register_module(module=ImbalancedToySet, force=True)
        cfg = self.epoch_based_cfg
        cfg.default_scope = 'mmaction'
        cfg.model = dict(type='ToyRecognizer')
        cfg.train_dataloader.dataset = dict(type='ImbalancedToySet')
        cfg.train_cfg = dict(by_epoch=True, max_epochs=1)
        for key in ('val_dataloader', 'val_evaluator', 'val_cfg',
                    'test_dataloader', 'test_evaluator', 'test_cfg'):
            cfg[key] = None
        cfg.custom_hooks = [dict(type='ClassBalanceHook')]

    def tearDown(self):
        MODELS.module_dict.pop('ToyRecognizer', None)
        DATASETS.module_dict.pop('ImbalancedToySet', None)
        super().tearDown()

    def _train(self, cfg):
        runner = self.build_runner(cfg)
        runner.train()
        return runner

    def test_cross_entropy_gets_inverse_frequency_class_weight(self):
        runner = self._train(copy.deepcopy(self.epoch_based_cfg))
        loss = runner.model.cls_head.loss_cls
        expected = inverse_frequency_weights(COUNTS)  # 10 / (3 n_c)
        np.testing.assert_allclose(expected, [10 / 18, 10 / 9, 10 / 3])
        assert loss.class_weight.dtype == torch.float32
        torch.testing.assert_close(loss.class_weight,
                                   torch.tensor(expected, dtype=torch.float32))
        # The loss value is torch's weighted cross-entropy, and not the plain
        # one: sum_i w_{y_i} ce_i / sum_i w_{y_i}.
        scores = torch.randn(5, 3, generator=torch.Generator().manual_seed(1))
        labels = torch.tensor([0, 2, 1, 0, 2])
        weight = torch.tensor(expected, dtype=torch.float32)
        value = loss(scores, labels)
        torch.testing.assert_close(
            value, F.cross_entropy(scores, labels, weight=weight))
        per_sample = F.cross_entropy(scores, labels, reduction='none')
        torch.testing.assert_close(value, (weight[labels] * per_sample).sum() /
                                   weight[labels].sum())
        assert not torch.isclose(value, F.cross_entropy(scores, labels))

    def test_effective_number_weighting_for_cross_entropy(self):
        cfg = copy.deepcopy(self.epoch_based_cfg)
        cfg.custom_hooks = [
            dict(type='ClassBalanceHook', weighting='effective', beta=0.9)
        ]
        runner = self._train(cfg)
        torch.testing.assert_close(
            runner.model.cls_head.loss_cls.class_weight,
            torch.tensor(
                effective_number_weights(COUNTS, 0.9), dtype=torch.float32))

    def test_warns_when_the_sampler_already_balances(self):
        cfg = copy.deepcopy(self.epoch_based_cfg)
        cfg.train_dataloader.sampler = dict(type='ClassBalancedSampler')
        with mock.patch.object(class_balance_hook, 'print_log') as log:
            runner = self._train(cfg)
        assert type(runner.train_dataloader.sampler).__name__ == \
            'ClassBalancedSampler'
        messages = [call.args[0] for call in log.call_args_list]
        assert any('corrects the imbalance twice' in m for m in messages)

    def test_cbfocal_loss_is_set_as_its_init_would_have(self):
        cfg = copy.deepcopy(self.epoch_based_cfg)
        # samples_per_cls left empty: training could not run without the hook
        # (one_hot over 0 classes).
        cfg.model = dict(
            type='ToyRecognizer', loss_cls=dict(type='CBFocalLoss', beta=0.99))
        runner = self._train(cfg)
        loss = runner.model.cls_head.loss_cls
        reference = CBFocalLoss(samples_per_cls=COUNTS.tolist(), beta=0.99)
        assert loss.samples_per_cls == [6, 3, 1]
        np.testing.assert_array_equal(loss.weights, reference.weights)
        assert loss.num_classes == reference.num_classes == 3
        scores = torch.randn(4, 3, generator=torch.Generator().manual_seed(2))
        labels = torch.tensor([0, 1, 2, 2])
        torch.testing.assert_close(
            loss(scores, labels), reference(scores, labels))
        unweighted = CBFocalLoss(samples_per_cls=[5, 5, 5], beta=0.99)
        assert not torch.isclose(
            loss(scores, labels), unweighted(scores, labels))

    def test_weights_are_recomputed_after_resume(self):
        self._train(copy.deepcopy(self.epoch_based_cfg))
        checkpoint = osp.join(self.temp_dir.name, 'epoch_1.pth')
        assert osp.isfile(checkpoint)
        # class_weight is an attribute, not a buffer: not in the checkpoint.
        state = torch.load(checkpoint, map_location='cpu')['state_dict']
        assert not any('class_weight' in key for key in state)

        cfg = copy.deepcopy(self.epoch_based_cfg)
        cfg.custom_hooks = []
        cfg.train_cfg.max_epochs = 2
        cfg.resume, cfg.load_from = True, checkpoint
        runner = self.build_runner(cfg)
        seen = {}

        class Spy(ClassBalanceHook):

            def before_train(self, runner):
                seen['before'] = (runner.epoch, runner.iter,
                                  runner.model.cls_head.loss_cls.class_weight)
                super().before_train(runner)

        runner.register_hook(Spy())
        runner.train()
        # before_train ran after the resume, on a loss without weights, and
        # training went on from epoch 1 with the weights restored.
        assert seen['before'][:2] == (1, 4)
        assert seen['before'][2] is None
        assert runner.epoch == 2 and runner.iter == 8
        torch.testing.assert_close(
            runner.model.cls_head.loss_cls.class_weight,
            torch.tensor(
                inverse_frequency_weights(COUNTS), dtype=torch.float32))


def _model(loss_cls=None, num_classes=3):
    return ToyRecognizer(loss_cls=loss_cls, num_classes=num_classes)


def test_apply_without_runner_unwraps_model_wrappers():
    wrapped = nn.DataParallel(_model())  # registered in MODEL_WRAPPERS
    weights = ClassBalanceHook().apply(wrapped, ImbalancedToySet())
    np.testing.assert_allclose(weights, inverse_frequency_weights(COUNTS))
    torch.testing.assert_close(wrapped.module.cls_head.loss_cls.class_weight,
                               torch.tensor(weights, dtype=torch.float32))


def test_unknown_loss_type_names_it_and_the_supported_ones():
    model = _model(loss_cls=dict(type='BCELossWithLogits'))
    with pytest.raises(
            TypeError,
            match=r'cls_head.loss_cls is a BCELossWithLogits; supported '
            r'losses are CrossEntropyLoss, CBFocalLoss'):
        ClassBalanceHook().apply(model, ImbalancedToySet())


def test_bad_paths_class_numbers_and_labels():
    with pytest.raises(
            ValueError,
            match=r"ToyRecognizer has no module 'cls_head.loss' \(ToyHead "
            r'has no attribute `loss`\)'):
        ClassBalanceHook(loss='cls_head.loss').apply(_model(),
                                                     ImbalancedToySet())
    with pytest.raises(
            ValueError,
            match=r"no module 'cls_head.num_classes' \(`num_classes` is not "
            r'an nn.Module\)'):
        ClassBalanceHook(loss='cls_head.num_classes').apply(
            _model(), ImbalancedToySet())
    with pytest.raises(ValueError, match='num_classes=4 but ToyHead'):
        ClassBalanceHook(num_classes=4).apply(_model(), ImbalancedToySet())
    # A label 2 in a 2-class head: the sample is named.
    with pytest.raises(ValueError, match=r'sample 3 has label 2, outside'):
        ClassBalanceHook().apply(_model(num_classes=2), ImbalancedToySet())
    with pytest.raises(ValueError, match='weighting must be one of'):
        ClassBalanceHook(weighting='sqrt')


def test_empty_class_gets_zero_weight_and_is_logged_by_name():
    # 4 classes, none labelled 3: its weight is 0, the others N / (C n_c).
    dataset = ImbalancedToySet()
    dataset.metainfo = dict(classes=('a', 'b', 'c', 'd'))
    with mock.patch.object(class_balance_hook, 'print_log') as log:
        weights = ClassBalanceHook().apply(_model(num_classes=4), dataset)
    np.testing.assert_allclose(weights, [10 / 24, 10 / 12, 10 / 4, 0.0])
    messages = [call.args[0] for call in log.call_args_list]
    assert any("weight 0, for classes 3 ('d')" in m for m in messages)
    assert any('counts:  [6 3 1 0]' in m for m in messages)


# A real mmaction2 skeleton recognizer whose config leaves samples_per_cls
# empty, as BABEL configs can with the hook.
_GCN_CFG = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='STGCN', graph_cfg=dict(layout='coco', mode='stgcn_spatial')),
    cls_head=dict(
        type='GCNHead',
        num_classes=3,
        in_channels=256,
        loss_cls=dict(type='CBFocalLoss', samples_per_cls=[])))


def test_a_real_mmaction_recognizer_with_cbfocal_loss_from_config():
    with DefaultScope.overwrite_default_scope('mmaction'):
        model = MMACTION_MODELS.build(_GCN_CFG)
    assert model.cls_head.loss_cls.num_classes == 0  # unusable as built
    ClassBalanceHook().apply(model, ImbalancedToySet())
    loss = model.cls_head.loss_cls
    reference = CBFocalLoss(samples_per_cls=[6, 3, 1])
    np.testing.assert_array_equal(loss.weights, reference.weights)
    scores = torch.zeros(2, 3)
    torch.testing.assert_close(
        loss(scores, torch.tensor([0, 2])),
        reference(scores, torch.tensor([0, 2])))
