"""ClassBalancedSampler: seeded draws, balanced classes, DDP slices."""
from unittest import mock

import numpy as np
import pytest
from mmengine.dataset import BaseDataset, DefaultSampler
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

import mmhar_robust  # noqa: F401
from mmhar_robust.datasets.samplers import ClassBalancedSampler
from mmhar_robust.datasets.samplers import class_balanced_sampler

# 900 / 90 / 10: a long tail like BABEL's, small enough to draw 30k fast.
COUNTS = (900, 90, 10)


class Labelled:
    """A dataset that only knows its labels."""

    def __init__(self, counts=COUNTS):
        self.labels = np.repeat(np.arange(len(counts)), counts)

    def __len__(self):
        return len(self.labels)

    def get_labels(self):
        return self.labels


def _ranks(world_size, **kwargs):
    """One sampler per simulated rank, all with the same arguments."""
    samplers = []
    for rank in range(world_size):
        with mock.patch.object(
                class_balanced_sampler,
                'get_dist_info',
                return_value=(rank, world_size)):
            samplers.append(ClassBalancedSampler(Labelled(), **kwargs))
    return samplers


def _class_shares(dataset, indices):
    counts = np.bincount(dataset.labels[np.asarray(indices)], minlength=3)
    return counts / counts.sum()


def test_same_seed_and_epoch_same_draw_other_epochs_differ():
    first = ClassBalancedSampler(Labelled(), seed=3)
    again = ClassBalancedSampler(Labelled(), seed=3)
    assert list(first) == list(again)
    assert list(first) == list(first)  # iterating twice: no hidden state
    epoch0 = list(first)
    first.set_epoch(1)
    assert list(first) != epoch0
    again.set_epoch(1)
    assert list(first) == list(again)
    assert list(ClassBalancedSampler(Labelled(), seed=4)) != epoch0
    # Keyed by the pair, not seed + epoch as DefaultSampler does.
    shifted = ClassBalancedSampler(Labelled(), seed=4)
    assert list(shifted) != list(first)


def test_classes_are_drawn_uniformly_where_a_shuffler_follows_the_data():
    dataset = Labelled()
    sampler = ClassBalancedSampler(dataset, seed=0, num_samples=30000)
    indices = list(sampler)
    assert len(indices) == len(sampler) == 30000
    assert min(indices) >= 0 and max(indices) < len(dataset)
    # The std of a share over 30000 draws is 0.0027; 0.02 is ~7 sigma.
    shares = _class_shares(dataset, indices)
    assert np.abs(shares - 1 / 3).max() < 0.02
    # The same bound fails for a plain shuffler (class 2 has 1% of data).
    plain = _class_shares(dataset, list(DefaultSampler(dataset, seed=0)))
    assert np.abs(plain - 1 / 3).max() > 0.3


@pytest.mark.parametrize('alpha', [0.0, 0.5])
def test_alpha_softens_the_correction(alpha):
    dataset = Labelled()
    sampler = ClassBalancedSampler(
        dataset, seed=1, num_samples=30000, alpha=alpha)
    expected = np.power(COUNTS, 1 - alpha) / np.power(COUNTS, 1 - alpha).sum()
    shares = _class_shares(dataset, list(sampler))
    np.testing.assert_allclose(shares, expected, atol=0.02)


def test_two_ranks_take_disjoint_slices_of_one_draw():
    # 101 rounds up to 51 per rank; a single process drawing 102 with the
    # same (seed, epoch) makes the draw the ranks share.
    rank0, rank1 = _ranks(2, seed=7, num_samples=101)
    (whole, ) = _ranks(1, seed=7, num_samples=102)
    for epoch in (0, 5):
        for sampler in (rank0, rank1, whole):
            sampler.set_epoch(epoch)
        draw = list(whole)
        assert len(rank0) == len(rank1) == 51 == len(list(rank0))
        assert list(rank0) == draw[0::2]
        assert list(rank1) == draw[1::2]
        assert sorted(list(rank0) + list(rank1)) == sorted(draw)


def test_seed_defaults_to_mmengine_sync_random_seed():
    with mock.patch.object(
            class_balanced_sampler, 'sync_random_seed', return_value=1234):
        sampler = ClassBalancedSampler(Labelled())
    assert sampler.seed == 1234
    assert list(sampler) == list(ClassBalancedSampler(Labelled(), seed=1234))


@pytest.mark.parametrize('kwargs, message', [
    (dict(shuffle=False), 'shuffle=False is not supported'),
    (dict(alpha=-1), 'alpha must be a number >= 0'),
    (dict(num_samples=0), 'num_samples must be a positive int'),
    (dict(seed=-2), r'seed must be an int >= 0'),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ClassBalancedSampler(Labelled(), **dict(dict(seed=0), **kwargs))


def test_bad_labels_are_reported():
    with pytest.raises(ValueError, match='empty dataset'):
        ClassBalancedSampler(Labelled(counts=()), seed=0)
    dataset = Labelled()
    dataset.labels = dataset.labels.astype(float)
    with pytest.raises(ValueError, match='dtype float64'):
        ClassBalancedSampler(dataset, seed=0)


class Clips(BaseDataset):

    def __init__(self, labels):
        self.labels = labels
        super().__init__(ann_file='', serialize_data=False)

    def load_data_list(self):
        return [dict(label=y) for y in self.labels]


def test_built_by_the_runner_from_a_config():
    init_default_scope('mmaction')
    dataset = Clips([0] * 9 + [1])
    loader = Runner.build_dataloader(
        dict(
            dataset=dataset,
            sampler=dict(type='ClassBalancedSampler'),
            batch_size=2,
            num_workers=0),
        seed=11)
    assert isinstance(loader.sampler, ClassBalancedSampler)
    assert loader.sampler.seed == 11  # the runner's seed reaches it
    assert len(loader) == 5
    # The data-info path gives the 1 sample of class 1 half the mass.
    np.testing.assert_allclose(loader.sampler.probabilities[-1], 0.5)
    labels = [y for batch in loader for y in batch['label']]
    assert len(labels) == 10 and set(labels) <= {0, 1}
