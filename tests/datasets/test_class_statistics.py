"""Labels through MMEngine's wrappers, class counts, weights and errors."""
import warnings

import numpy as np
import pytest
import torch
from mmengine.dataset import (BaseDataset, ClassBalancedDataset, ConcatDataset,
                              RepeatDataset)
from torch.utils.data import ConcatDataset as TorchConcatDataset
from torch.utils.data import Subset

import mmhar_robust  # noqa: F401
from mmaction.models.losses import CBFocalLoss
from mmhar_robust.datasets.class_statistics import (class_counts,
                                                    effective_number_weights,
                                                    get_labels,
                                                    inverse_frequency_weights)


class Items(BaseDataset):
    """An MMEngine dataset over a list of data infos (no files)."""

    def __init__(self, items, **kwargs):
        self.items = items
        super().__init__(ann_file='', serialize_data=False, **kwargs)

    def load_data_list(self):
        return [dict(item) for item in self.items]

    def get_cat_ids(self, idx):  # what ClassBalancedDataset asks for
        return [self.get_data_info(idx)['label']]


def _items(labels):
    return Items(
        [dict(label=y, frame_dir=f'clip{i}') for i, y in enumerate(labels)])


class LabelsOnly:
    """Has get_labels(); reading a data info would be an error."""

    def __init__(self, labels, length=None):
        self.labels = labels
        self.length = len(labels) if length is None else length

    def __len__(self):
        return self.length

    def get_labels(self):
        return self.labels

    def get_data_info(self, idx):
        raise AssertionError('get_data_info must not be called')


def _via_data_info(dataset):
    return [dataset.get_data_info(i)['label'] for i in range(len(dataset))]


def test_labels_from_data_infos_of_any_integer_type():
    dataset = Items([
        dict(label=2),
        dict(label=np.int64(0)),
        dict(label=np.array(1)),
        dict(label=torch.tensor(3))
    ])
    labels = get_labels(dataset)
    assert labels.dtype == np.int64
    assert labels.tolist() == [2, 0, 1, 3]


def test_own_get_labels_is_preferred_also_inside_wrappers():
    assert get_labels(LabelsOnly(np.array([1, 0, 1]))).tolist() == [1, 0, 1]
    subset = Subset(LabelsOnly(np.array([5, 6, 7, 8])), [3, 0, 0])
    assert get_labels(subset).tolist() == [8, 5, 5]


def test_wrappers_follow_the_wrapper_indices():
    repeated = RepeatDataset(_items([0, 1, 2]), times=3)
    assert get_labels(repeated).tolist() == [0, 1, 2] * 3
    concat = ConcatDataset([_items([0, 1]), _items([2, 2, 1])])
    assert get_labels(concat).tolist() == [0, 1, 2, 2, 1]
    # Class 1 is rare: MMEngine repeats its sample ceil(sqrt(0.5 / 0.2)) = 2
    # times; the labels must follow those indices, not the inner dataset's.
    balanced = ClassBalancedDataset(
        _items([0, 0, 0, 0, 1]), oversample_thr=0.5)
    labels = get_labels(balanced)
    assert labels.tolist() == _via_data_info(balanced) == [0] * 4 + [1] * 2
    # MMEngine's wrappers take only BaseDatasets; torch's nest any of them.
    mixed = TorchConcatDataset([balanced, repeated, concat])
    assert get_labels(mixed).tolist() == (
        _via_data_info(balanced) + _via_data_info(repeated) +
        _via_data_info(concat))


def test_lazily_initialised_wrappers_are_initialised():
    lazy = RepeatDataset(
        Items([dict(label=1), dict(label=0)], lazy_init=True),
        times=2,
        lazy_init=True)
    assert get_labels(lazy).tolist() == [1, 0, 1, 0]
    lazy_cb = ClassBalancedDataset(
        _items([0, 0, 0, 1]), oversample_thr=0.5, lazy_init=True)
    assert get_labels(lazy_cb).tolist() == [0, 0, 0, 1, 1]


@pytest.mark.parametrize('label, message', [
    ([1, 2], r'sample 1 \(\'clip1\'\).*multi-label'),
    (np.array([0, 1]), r'sample 1 \(\'clip1\'\).*multi-label'),
    (2.0, r'sample 1 \(\'clip1\'\).*float is not an integer'),
    ('walk', r'sample 1 \(\'clip1\'\).*str is not an integer'),
    (True, r'sample 1 \(\'clip1\'\).*bool'),
])
def test_bad_labels_name_the_sample(label, message):
    dataset = Items([
        dict(label=0, frame_dir='clip0'),
        dict(label=label, frame_dir='clip1')
    ])
    with pytest.raises(ValueError, match=message):
        get_labels(dataset)


def test_missing_label_and_unreadable_datasets():
    with pytest.raises(ValueError, match=r'sample 0 .*no "label"'):
        get_labels(Items([dict(frame_dir='a')]))
    with pytest.raises(TypeError, match='cannot read the labels of a list'):
        get_labels([0, 1])


@pytest.mark.parametrize('returned, message', [
    (np.array([[0, 1], [1, 0]]), r'shape \(2, 2\).*multi-label'),
    (np.array([0.0, 1.0]), 'dtype float64'),
    (np.array([0, 1, 2]), '3 labels for a dataset of 2 samples'),
])
def test_bad_get_labels_results(returned, message):
    with pytest.raises(ValueError, match=message):
        get_labels(LabelsOnly(returned, length=2))


def test_class_counts_and_out_of_range_labels():
    counts = class_counts(np.array([2, 0, 2, 2]), num_classes=4)
    assert counts.tolist() == [1, 0, 3, 0]
    with pytest.raises(
            ValueError,
            match=r'sample 2 has label 4, outside '
            r'\[0, 4\) \(2 such'):
        class_counts(np.array([0, 1, 4, -1]), num_classes=4)
    with pytest.raises(ValueError, match='1-D integer'):
        class_counts(np.array([0.0, 1.0]), num_classes=2)
    with pytest.raises(ValueError, match='positive int'):
        class_counts(np.array([0]), num_classes=0)


def test_inverse_frequency_weights_by_hand():
    # N = 10, C = 4: w = 10 / (4 n_c); the empty class gets 0 and a warning.
    with pytest.warns(UserWarning, match=r'classes \[3\] have no samples'):
        weights = inverse_frequency_weights(np.array([6, 3, 1, 0]))
    np.testing.assert_allclose(weights, [10 / 24, 10 / 12, 2.5, 0.0])
    # sklearn's convention: balanced data gets ones, and sum n_c w_c = N.
    np.testing.assert_array_equal(
        inverse_frequency_weights(np.array([5, 5, 5])), [1.0, 1.0, 1.0])
    counts = np.array([100, 10, 1])
    assert (counts * inverse_frequency_weights(counts)).sum() == \
        pytest.approx(111)


def test_effective_number_weights_by_hand():
    # beta = 0.5: raw (1 - b) / (1 - b ** n) = 0.5 / 0.75 and 0.5 / 0.5,
    # i.e. 2/3 and 1, normalised to sum to C = 2: 0.8 and 1.2.
    np.testing.assert_allclose(
        effective_number_weights(np.array([2, 1]), beta=0.5), [0.8, 1.2])
    np.testing.assert_allclose(
        effective_number_weights(np.array([7, 1, 3]), beta=0.0), [1, 1, 1])
    with pytest.warns(UserWarning, match=r'classes \[1\]'):
        weights = effective_number_weights(np.array([2, 0, 1]), beta=0.5)
    np.testing.assert_allclose(weights, [1.2, 0.0, 1.8])
    with pytest.raises(ValueError, match=r'beta must be in \[0, 1\)'):
        effective_number_weights(np.array([1, 2]), beta=1.0)


def test_effective_number_weights_equal_cbfocalloss_bit_for_bit():
    counts = np.array([5000, 731, 88, 12, 3, 1])
    for beta in (0.9, 0.999, 0.9999):
        with warnings.catch_warnings():
            warnings.simplefilter('error')  # no empty classes: no warning
            ours = effective_number_weights(counts, beta)
        reference = CBFocalLoss(samples_per_cls=counts.tolist(), beta=beta)
        np.testing.assert_array_equal(ours, reference.weights)
        assert ours.sum() == pytest.approx(len(counts))


def test_bad_counts():
    for counts in (np.array([]), np.array([1.0, 2.0]), np.array([1, -1])):
        with pytest.raises(ValueError, match='non-negative integers'):
            inverse_frequency_weights(counts)
    with pytest.raises(ValueError, match='every class has 0 samples'):
        effective_number_weights(np.array([0, 0]))
