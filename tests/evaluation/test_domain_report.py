"""Domain-test table: counts of predicted classes per ground-truth class."""
import numpy as np
import pytest

from mmhar_robust.evaluation.domain_report import (CSV_HEADER, DomainRow,
                                                   domain_table, to_csv_rows,
                                                   to_markdown)

NAMES = ['jump', 'turn', 'walk', 'spin']
# Ground truth 0 (5 samples): predicted 2 twice, 0 twice, 1 once.
# Ground truth 2 (2 samples): predicted 2 and 3. Classes 1 and 3 are absent.
GT = [0, 0, 0, 0, 0, 2, 2]
PRED = [2, 0, 2, 0, 1, 2, 3]


def test_counts_sorted_by_count_then_index():
    rows = domain_table(GT, PRED, NAMES)
    assert rows == [
        DomainRow(0, 'jump', 5, [(0, 'jump', 2), (2, 'walk', 2),
                                 (1, 'turn', 1)], 0),
        DomainRow(2, 'walk', 2, [(2, 'walk', 1), (3, 'spin', 1)], 0),
    ]


def test_top_n_sums_the_rest_in_other():
    rows = domain_table(GT, PRED, NAMES, top_n=1)
    assert [(r.predictions, r.other) for r in rows] == [
        ([(0, 'jump', 2)], 3),
        ([(2, 'walk', 1)], 1),
    ]


def test_scores_give_the_same_table_as_their_argmax():
    scores = np.eye(4)[PRED] * 0.6 + 0.1
    assert domain_table(GT, scores, NAMES) == domain_table(GT, PRED, NAMES)


def test_without_names_the_indices_are_used():
    rows = domain_table(GT, PRED)  # 4 classes: the largest index is 3
    assert rows[1].gt_name == '2'
    assert rows[1].predictions == [(2, '2', 1), (3, '3', 1)]
    scores = np.full((7, 6), 0.1)
    scores[np.arange(7), PRED] = 1.0
    assert domain_table(GT, scores)[0].predictions[0] == (0, '0', 2)


def test_csv_rows():
    rows = to_csv_rows(domain_table(GT, PRED, NAMES, top_n=2))
    assert all(tuple(r) == CSV_HEADER for r in rows)
    assert [(r['ground_truth'], r['rank'], r['prediction'], r['count'])
            for r in rows] == [('jump', 1, 'jump', 2), ('jump', 2, 'walk', 2),
                               ('jump', '', '(other)', 1),
                               ('walk', 1, 'walk', 1), ('walk', 2, 'spin', 1)]
    assert rows[0]['fraction'] == pytest.approx(0.4)


def test_markdown():
    names = ['jump | high', 'turn', 'walk', 'spin']
    text = to_markdown(domain_table(GT, PRED, names, top_n=1))
    assert text.splitlines() == [
        '| Ground truth (samples) | Prediction | Count | % |',
        '| --- | --- | ---: | ---: |',
        '| jump \\| high (5) | jump \\| high | 2 | 40.0 |',
        '|  | (other) | 3 | 60.0 |',
        '| walk (2) | walk | 1 | 50.0 |',
        '|  | (other) | 1 | 50.0 |',
    ]


@pytest.mark.parametrize('kwargs, message', [
    (dict(gt_labels=[0, 4], predictions=[0, 1],
          num_classes=4), 'sample 1: label 4 is outside'),
    (dict(gt_labels=[0, 1], predictions=[0, -1]), 'sample 1: prediction -1'),
    (dict(gt_labels=[0, 1], predictions=[0]), 'N predictions'),
    (dict(gt_labels=[], predictions=[]), 'N > 0'),
    (dict(gt_labels=[0, 1], predictions=np.ones(
        (2, 2)), class_names=['a']), '1 class names for 2'),
    (dict(gt_labels=[0, 1], predictions=[0, 1], top_n=0), 'top_n'),
    (dict(gt_labels=[0, 1], predictions=np.ones(
        (2, 3)), num_classes=4), 'scores have 3 classes'),
])
def test_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        domain_table(**kwargs)
