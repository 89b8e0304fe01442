"""Draw training samples with probability inverse to their class size."""
import math
import numbers
from typing import Any, Iterator, Optional

import numpy as np
from mmengine.dist import get_dist_info, sync_random_seed
from torch.utils.data import Sampler

from ...registry import DATA_SAMPLERS
from ..class_statistics import get_labels


@DATA_SAMPLERS.register_module()
class ClassBalancedSampler(Sampler):
    """Sample with replacement, each sample weighted ``1 / n_c ** alpha``.

    The weighted sampler of BABEL's baselines (seed 000), like torch's
    ``WeightedRandomSampler``: a sample of class c is drawn with probability
    proportional to ``1 / n_c ** alpha``, where ``n_c`` is the number of
    training samples of class c. With ``alpha = 1`` every class is drawn
    equally often in expectation (rare samples repeat, frequent ones are
    skipped); ``alpha = 0`` is plain sampling with replacement; values in
    between soften the correction (class c then gets a share proportional to
    ``n_c ** (1 - alpha)``).

    It follows MMEngine's ``DefaultSampler``: one global draw per epoch from
    a generator seeded with ``(seed, epoch)`` (never the global RNG), of which
    rank r of w takes positions ``r, r + w, r + 2w, ...``; so the ranks' slices
    are disjoint and together are the whole draw. ``set_epoch`` (called by
    MMEngine's ``DistSamplerSeedHook``) gives each epoch a new draw. The
    number drawn per epoch is rounded up to a multiple of the world size.

    Use it as ``train_dataloader = dict(sampler=dict(
    type='ClassBalancedSampler'), ...)``; for validation and testing keep
    ``DefaultSampler``.

    Args:
        dataset (Any): A single-label dataset (see
            :func:`mmhar_robust.datasets.class_statistics.get_labels`).
        shuffle (bool): Only True is accepted (a draw with replacement has no
            fixed order); present because configs written for
            ``DefaultSampler`` pass it. Defaults to True.
        seed (int, optional): Non-negative seed shared by all ranks. None
            draws one with MMEngine's ``sync_random_seed()``. Defaults to
            None.
        num_samples (int, optional): Samples drawn per epoch over all ranks.
            None means ``len(dataset)``. Defaults to None.
        alpha (float): Power of the inverse class count, ``>= 0``. Defaults
            to 1.0.
    """

    def __init__(self,
                 dataset: Any,
                 shuffle: bool = True,
                 seed: Optional[int] = None,
                 num_samples: Optional[int] = None,
                 alpha: float = 1.0) -> None:
        if not shuffle:
            raise ValueError(
                'ClassBalancedSampler draws at random by design; '
                'shuffle=False is not supported (use DefaultSampler)')
        if not isinstance(alpha, numbers.Real) or alpha < 0:
            raise ValueError(f'alpha must be a number >= 0, got {alpha!r}')
        self.rank, self.world_size = get_dist_info()
        self.dataset = dataset
        self.alpha = float(alpha)
        self.labels = get_labels(dataset)
        if len(self.labels) == 0:
            raise ValueError('ClassBalancedSampler got an empty dataset')
        # Counts over the labels present: an absent class has no sample to
        # weight, so it needs no entry.
        _, inverse, counts = np.unique(
            self.labels, return_inverse=True, return_counts=True)
        weights = np.power(counts[inverse].astype(np.float64), -self.alpha)
        self.probabilities = weights / weights.sum()

        if num_samples is None:
            num_samples = len(self.labels)
        if (isinstance(num_samples, bool)
                or not isinstance(num_samples, numbers.Integral)
                or num_samples < 1):
            raise ValueError(
                f'num_samples must be a positive int, got {num_samples!r}')
        self.samples_per_rank = math.ceil(num_samples / self.world_size)
        self.total_size = self.samples_per_rank * self.world_size

        if seed is None:
            seed = sync_random_seed()
        if (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)
                or seed < 0):
            raise ValueError(f'seed must be an int >= 0, got {seed!r}')
        self.seed = int(seed)
        self.epoch = 0

    def __iter__(self) -> Iterator[int]:
        """This rank's slice of the epoch's draw."""
        rng = np.random.default_rng([self.seed, self.epoch])
        indices = rng.choice(
            len(self.probabilities),
            size=self.total_size,
            replace=True,
            p=self.probabilities)
        return iter(indices[self.rank::self.world_size].tolist())

    def __len__(self) -> int:
        """The number of samples this rank yields per epoch."""
        return self.samples_per_rank

    def set_epoch(self, epoch: int) -> None:
        """Set the epoch, which selects the draw.

        Args:
            epoch (int): Epoch number, ``>= 0``.
        """
        if epoch < 0:
            raise ValueError(f'epoch must be >= 0, got {epoch!r}')
        self.epoch = int(epoch)
