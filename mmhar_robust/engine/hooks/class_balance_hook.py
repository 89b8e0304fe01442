"""Set a classification loss's class weights from the training labels."""
import logging
import warnings
from typing import Any, Optional, Tuple

import numpy as np
import torch
import torch.nn as nn
from mmaction.models.losses import CBFocalLoss, CrossEntropyLoss
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

from ...datasets.class_statistics import (class_counts,
                                          effective_number_weights, get_labels,
                                          inverse_frequency_weights)
from ...datasets.samplers import ClassBalancedSampler
from ...registry import HOOKS

WEIGHTINGS = ('inverse', 'effective')
SUPPORTED_LOSSES = ('CrossEntropyLoss', 'CBFocalLoss')


def _compact(array: np.ndarray) -> str:
    """One line, three significant digits: readable for 120 classes."""
    return np.array2string(
        np.asarray(array),
        precision=3,
        max_line_width=1 << 20,
        threshold=1 << 20,
        separator=' ')


def _class_names(dataset: Any, indices: np.ndarray, num_classes: int) -> str:
    """``3 ('jump'), 7 ('sit')``, or the bare indices without names."""
    metainfo = getattr(dataset, 'metainfo', None)
    names = metainfo.get('classes') if isinstance(metainfo, dict) else None
    if names is None or len(names) != num_classes:
        return ', '.join(str(int(i)) for i in indices)
    return ', '.join(f'{int(i)} ({names[i]!r})' for i in indices)


@HOOKS.register_module()
class ClassBalanceHook(Hook):
    """Weight a classification loss by the class counts of the train set.

    In ``before_train`` (which also runs after ``--resume``, so the weights,
    which are not part of the checkpoint, are always restored) it counts the
    labels of ``runner.train_dataloader.dataset`` and configures the loss at
    the dotted path ``loss`` of the model:

    - mmaction2's ``CrossEntropyLoss``: ``class_weight`` becomes a float32
      tensor of inverse frequency weights ``N / (C * n_c)`` (seed 002's
      weighted cross-entropy) or effective-number weights (Cui et al. 2019,
      with ``beta``), as ``weighting`` says.
    - mmaction2's ``CBFocalLoss`` (BABEL's baseline): ``samples_per_cls``,
      ``weights`` and ``num_classes`` are set exactly as its ``__init__``
      computes them from the counts, with the loss's own ``beta``; so a config
      can leave ``samples_per_cls`` empty. ``weighting`` and ``beta`` of the
      hook do not apply.

    The number of classes C is the ``num_classes`` of the module holding the
    loss (mmaction2's heads have it), else this hook's ``num_classes``.

    Args:
        weighting (str): ``'inverse'`` or ``'effective'``, for
            ``CrossEntropyLoss``. Defaults to ``'inverse'``.
        beta (float): ``beta`` of the effective number, in ``[0, 1)``.
            Defaults to 0.9999.
        loss (str): Dotted path of the loss module in the model (inside any
            model wrapper). Defaults to ``'cls_head.loss_cls'``.
        num_classes (int, optional): C, when the module holding the loss has
            no ``num_classes``. Defaults to None.
    """

    priority = 'NORMAL'

    def __init__(self,
                 weighting: str = 'inverse',
                 beta: float = 0.9999,
                 loss: str = 'cls_head.loss_cls',
                 num_classes: Optional[int] = None) -> None:
        if weighting not in WEIGHTINGS:
            raise ValueError(f'weighting must be one of {WEIGHTINGS}, got '
                             f'{weighting!r}')
        if not 0.0 <= beta < 1.0:
            raise ValueError(f'beta must be in [0, 1), got {beta!r}')
        if not isinstance(loss, str) or not loss:
            raise ValueError(f'loss must be a dotted path, got {loss!r}')
        self.weighting = weighting
        self.beta = beta
        self.loss = loss
        self.num_classes = num_classes

    def before_train(self, runner) -> None:
        """Count the training labels and configure the loss."""
        loader = runner.train_dataloader
        sampler = getattr(loader, 'sampler', None)
        if isinstance(sampler, ClassBalancedSampler) and sampler.alpha > 0:
            print_log(
                'ClassBalanceHook: the train sampler is ClassBalancedSampler, '
                'which already rebalances the classes; weighting the loss as '
                'well corrects the imbalance twice',
                logger='current',
                level=logging.WARNING)
        self.apply(runner.model, loader.dataset)

    def apply(self, model: nn.Module, dataset: Any) -> np.ndarray:
        """Configure the loss of ``model`` from the labels of ``dataset``.

        Args:
            model (nn.Module): The model, possibly in an MMEngine wrapper.
            dataset (Any): The training dataset (see
                :func:`mmhar_robust.datasets.class_statistics.get_labels`).

        Returns:
            np.ndarray: The class weights given to the loss.
        """
        if is_model_wrapper(model):
            model = model.module
        owner, loss = self._resolve(model)
        if not isinstance(loss, (CrossEntropyLoss, CBFocalLoss)):
            raise TypeError(
                f'ClassBalanceHook: {self.loss} is a {type(loss).__name__}; '
                f'supported losses are {", ".join(SUPPORTED_LOSSES)}')
        num_classes = self._num_classes(owner)
        counts = class_counts(get_labels(dataset), num_classes)
        with warnings.catch_warnings():
            # Logged below, with the class names where the dataset has them.
            warnings.simplefilter('ignore')
            if isinstance(loss, CBFocalLoss):
                weights = effective_number_weights(counts, loss.beta)
                how = f'effective number, beta={loss.beta} (the loss\'s own)'
            elif self.weighting == 'effective':
                weights = effective_number_weights(counts, self.beta)
                how = f'effective number, beta={self.beta}'
            else:
                weights = inverse_frequency_weights(counts)
                how = 'inverse frequency'
        empty = np.flatnonzero(counts == 0)
        if len(empty):
            print_log(
                'ClassBalanceHook: no training samples, weight 0, for classes '
                f'{_class_names(dataset, empty, num_classes)}',
                logger='current',
                level=logging.WARNING)

        if isinstance(loss, CBFocalLoss):
            loss.samples_per_cls = counts.tolist()
            loss.weights = weights
            loss.num_classes = len(weights)
        else:
            if loss.class_weight is not None:
                print_log(
                    f'ClassBalanceHook: replacing the class_weight of '
                    f'{self.loss}',
                    logger='current',
                    level=logging.WARNING)
            param = next(model.parameters(), None)
            loss.class_weight = torch.tensor(
                weights,
                dtype=torch.float32,
                device=param.device if param is not None else None)
        print_log(
            f'ClassBalanceHook: {self.loss} ({type(loss).__name__}) weighted '
            f'by {how}, from {int(counts.sum())} training samples of '
            f'{num_classes} classes\n  counts:  {_compact(counts)}\n'
            f'  weights: {_compact(weights)} (max/min '
            f'{weights.max() / weights[weights > 0].min():.3g})',
            logger='current')
        return weights

    def _resolve(self, model: nn.Module) -> Tuple[nn.Module, nn.Module]:
        """The module holding the loss, and the loss."""
        try:
            loss = model.get_submodule(self.loss)
        except AttributeError as error:
            raise ValueError(
                f'ClassBalanceHook: {type(model).__name__} has no module '
                f'{self.loss!r} ({error}); set the hook\'s loss= to the '
                'dotted path of the loss') from error
        return model.get_submodule(self.loss.rpartition('.')[0]), loss

    def _num_classes(self, owner: Any) -> int:
        """C from the loss's owner (a head), checked against the hook's."""
        found = getattr(owner, 'num_classes', None)
        if found is None and self.num_classes is None:
            raise ValueError(
                f'ClassBalanceHook: the module holding {self.loss} '
                f'({type(owner).__name__}) has no num_classes; give '
                'ClassBalanceHook(num_classes=...)')
        if (found is not None and self.num_classes is not None
                and found != self.num_classes):
            raise ValueError(
                f'ClassBalanceHook: num_classes={self.num_classes} but '
                f'{type(owner).__name__}.num_classes is {found}')
        return int(found if found is not None else self.num_classes)
