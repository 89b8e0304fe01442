"""Train on a fixed share of each class (seed 003's quarter of NTU60)."""
import math
import numbers
from typing import Any, Iterator, List

import numpy as np
from mmengine.dist import get_dist_info

from ...registry import DATA_SAMPLERS
from ...utils.sample import sample_identity, sample_rng
from ..class_statistics import get_labels


def _identities(dataset: Any) -> List[str]:
    """Each sample's identity (``frame_dir`` ...), else its index."""
    if not hasattr(dataset, 'get_data_info'):
        return [str(i) for i in range(len(dataset))]
    return [
        sample_identity(dataset.get_data_info(i), 'ClassSubsetSampler')
        for i in range(len(dataset))
    ]


@DATA_SAMPLERS.register_module()
class ClassSubsetSampler:
    """Yield only ``round(fraction * n_c)`` (at least one) samples of each
    class c, the same ones in every epoch, run and process.

    Which samples: in each class, those with the smallest key, the key
    drawn from the sample's own generator ``sample_rng(seed, identity,
    'ClassSubsetSampler')`` (:mod:`mmhar_robust.utils.sample`), so the
    choice depends on the sample's identity (``frame_dir``), not on its
    position in the annotation file. The subset is shuffled each epoch from
    a generator seeded with ``(seed, epoch)``; rank r of w takes positions
    ``r, r + w, ...`` of the epoch's order, rounded up to a multiple of
    ``w`` by repeating the first ones, as MMEngine's ``DefaultSampler``.

    The selection reads labels: use it for fine-tuning and supervised
    training; a pretraining loader uses ``DefaultSampler`` or the same
    sampler only to restrict the clips it sees (it yields indices, the
    pretraining model reads no label).

    Args:
        dataset (Any): A single-label dataset (see
            :func:`~mmhar_robust.datasets.class_statistics.get_labels`).
        fraction (float): Share of each class kept, in (0, 1].
            Defaults to 0.25.
        shuffle (bool): Shuffle each epoch. Defaults to True.
        seed (int): Seed of the selection and the order. Defaults to 0.
    """

    def __init__(self,
                 dataset: Any,
                 fraction: float = 0.25,
                 shuffle: bool = True,
                 seed: int = 0) -> None:
        if isinstance(fraction, bool) or not isinstance(
                fraction, numbers.Real) or not 0 < fraction <= 1:
            raise ValueError(
                f'fraction must be a number in (0, 1], got {fraction!r}')
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
            raise ValueError(f'seed must be an int, got {seed!r}')
        self.rank, self.world_size = get_dist_info()
        self.dataset, self.fraction = dataset, float(fraction)
        self.shuffle, self.seed, self.epoch = shuffle, int(seed), 0
        labels = get_labels(dataset)
        keys = np.array([
            sample_rng(self.seed, name, 'ClassSubsetSampler').random()
            for name in _identities(dataset)
        ])
        chosen = []
        for label in np.unique(labels):
            members = np.flatnonzero(labels == label)
            keep = max(1, int(round(self.fraction * len(members))))
            chosen.append(members[np.argsort(keys[members],
                                             kind='stable')[:keep]])
        self.indices = np.sort(np.concatenate(chosen)) if chosen else \
            np.zeros(0, np.int64)
        if len(self.indices) == 0:
            raise ValueError('ClassSubsetSampler got an empty dataset')
        self.samples_per_rank = math.ceil(
            len(self.indices) / self.world_size)
        self.total_size = self.samples_per_rank * self.world_size

    def __iter__(self) -> Iterator[int]:
        """This rank's share of the subset, in the epoch's order."""
        order = self.indices
        if self.shuffle:
            rng = np.random.default_rng([self.seed, self.epoch])
            order = order[rng.permutation(len(order))]
        order = np.resize(order, self.total_size)  # rounds up by repeating
        return iter(order[self.rank::self.world_size].tolist())

    def __len__(self) -> int:
        """The number of samples this rank yields per epoch."""
        return self.samples_per_rank

    def set_epoch(self, epoch: int) -> None:
        """Set the epoch, which selects the order (not the subset)."""
        self.epoch = int(epoch)
