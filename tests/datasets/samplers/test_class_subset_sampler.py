"""ClassSubsetSampler: a fixed share of each class, chosen by identity."""
from unittest import mock

import numpy as np
import pytest

from mmhar_robust.datasets.samplers import ClassSubsetSampler, \
    class_subset_sampler


class Clips:
    """Samples ``clip{i}`` with the given labels."""

    def __init__(self, labels, names=None):
        self.labels = list(labels)
        self.names = names or [f'clip{i}' for i in range(len(self.labels))]

    def __len__(self):
        return len(self.labels)

    def get_labels(self):
        return np.array(self.labels)

    def get_data_info(self, i):
        return dict(frame_dir=self.names[i], label=self.labels[i])


def test_a_quarter_of_each_class_the_same_every_epoch():
    labels = [0] * 40 + [1] * 8 + [2] * 2
    sampler = ClassSubsetSampler(Clips(labels), fraction=0.25)
    first = list(sampler)
    assert len(first) == len(sampler) == 10 + 2 + 1  # round(0.5) -> 0 -> 1
    counts = np.bincount(np.array(labels)[first], minlength=3)
    assert counts.tolist() == [10, 2, 1]
    sampler.set_epoch(1)
    second = list(sampler)
    assert sorted(second) == sorted(first) and second != first


def test_the_choice_follows_the_identity_not_the_position():
    labels = [0] * 12
    names = [f'clip{i}' for i in range(12)]
    chosen = {names[i] for i in ClassSubsetSampler(Clips(labels, names))}
    reordered = names[::-1]
    again = {reordered[i]
             for i in ClassSubsetSampler(Clips(labels, reordered))}
    assert chosen == again and len(chosen) == 3
    other_seed = {names[i]
                  for i in ClassSubsetSampler(Clips(labels, names), seed=1)}
    assert other_seed != chosen


def test_ranks_split_the_subset():
    dataset = Clips([0] * 20 + [1] * 20)
    parts = []
    for rank in range(3):
        with mock.patch.object(class_subset_sampler, 'get_dist_info',
                               return_value=(rank, 3)):
            parts.append(list(ClassSubsetSampler(dataset, fraction=0.5)))
    assert [len(p) for p in parts] == [7, 7, 7]
    assert set(sum(parts, [])) == set(ClassSubsetSampler(dataset, 0.5))


@pytest.mark.parametrize('fraction', [0, 1.5, -0.25, True])
def test_bad_fraction_is_named(fraction):
    with pytest.raises(ValueError, match='fraction'):
        ClassSubsetSampler(Clips([0, 1]), fraction=fraction)
