"""ClassReportMetric: hand-computed numbers on a tiny imbalanced example, the
files it writes, and building it from a config through MMEngine's Evaluator."""
import csv
import json
import logging
import math

import mmhar_robust  # noqa: F401  (compat fixes first)
import numpy as np
import pytest
import torch
from mmaction.evaluation.functional import mean_class_accuracy
from mmaction.structures import ActionDataSample
from mmengine.evaluator import Evaluator
from mmengine.logging import MMLogger
from mmengine.registry import DefaultScope

from mmhar_robust.evaluation.metrics import (ClassReportMetric,
                                             compute_class_report)

# 4 classes, 7 samples; class 3 is never the ground truth but is predicted
# once. Argmax: [0, 0, 0, 1, 1, 3, 1].
LABELS = [0, 0, 0, 0, 1, 1, 2]
SCORES = np.array([
    [.90, .05, .03, .02],
    [.90, .05, .03, .02],
    [.90, .05, .03, .02],
    [.30, .50, .10, .10],  # 0 is second: a top-2 hit
    [.10, .70, .10, .10],
    [.05, .15, .30, .50],  # 1 is third
    [.30, .40, .20, .10],  # 2 is third
])
NAMES = ['walk', 'jump', 'turn', 'ghost']
# Recall per present class: 3/4, 1/2, 0/1 -> mean 5/12 (top-1 is 4/7).
# Precision: class 0 3/3, class 1 1/3, class 2 never predicted (0/0).
# F1: class 0 2*1*.75/1.75 = 6/7, class 1 2*(1/3)*(1/2)/(5/6) = 0.4, class 2 0.
EXPECTED = {
    'acc/top1': 4 / 7,
    'acc/top2': 5 / 7,
    'acc/top3': 1.0,
    'acc/mean_class_accuracy': 5 / 12,
    'acc/macro_precision': (1 + 1 / 3 + 0) / 3,
    'acc/macro_recall': 5 / 12,
    'acc/macro_f1': (6 / 7 + 0.4 + 0) / 3,
}
CONFUSION = [[3, 1, 0, 0], [0, 1, 0, 1], [0, 1, 0, 0], [0, 0, 0, 0]]


def _samples(labels=LABELS, scores=SCORES):
    out = []
    for i, (label, score) in enumerate(zip(labels, scores)):
        sample = ActionDataSample(metainfo=dict(video_id=f'clip{i}'))
        sample.set_gt_label(label)
        sample.set_pred_score(torch.tensor(score, dtype=torch.float32))
        out.append(sample)
    return out


def _evaluate(metric, samples):
    metric.process(None, [s.to_dict() for s in samples])
    return metric.evaluate(len(samples))


def test_hand_computed_numbers(tmp_path):
    results = _evaluate(
        ClassReportMetric(topk=(1, 2, 3), out_dir=str(tmp_path)), _samples())
    assert results == pytest.approx(EXPECTED)
    # The point of the metric: on imbalanced data the two disagree.
    assert results['acc/mean_class_accuracy'] < results['acc/top1']


def test_mean1_of_mmaction2_counts_a_predicted_absent_class_as_zero():
    report = compute_class_report(LABELS, SCORES)
    assert report.summary['mean_class_accuracy'] == pytest.approx(5 / 12)
    # mmaction2's mean1 averages over 4 classes, the absent 'ghost' as 0.
    assert mean_class_accuracy(SCORES, LABELS) == pytest.approx(1.25 / 4)


@pytest.mark.parametrize('zero_division, precision',
                         [(0.0, (1 + 1 / 3) / 3), (1.0, (1 + 1 / 3 + 1) / 3),
                          (float('nan'), (1 + 1 / 3) / 2)])
def test_zero_division_sets_precision_of_a_never_predicted_class(
        zero_division, precision):
    report = compute_class_report(LABELS, SCORES, zero_division=zero_division)
    assert report.summary['macro_precision'] == pytest.approx(precision)
    assert report.summary['macro_recall'] == pytest.approx(5 / 12)


def test_topk_as_int_and_prefix():
    results = _evaluate(ClassReportMetric(topk=2, prefix='report'), _samples())
    assert results['report/top2'] == pytest.approx(5 / 7)
    assert 'report/top1' not in results


def test_reads_mmaction2_1_1_dicts_like_1_2_dicts():
    old_style = [{
        'gt_labels': {
            'item': torch.tensor([label])
        },
        'pred_scores': {
            'item': torch.tensor(score)
        }
    } for label, score in zip(LABELS, SCORES)]
    metric = ClassReportMetric(topk=(1, 2, 3))
    metric.process(None, old_style)
    assert metric.evaluate(len(LABELS)) == pytest.approx(EXPECTED)


def test_files_use_dataset_class_names(tmp_path):
    metric = ClassReportMetric(topk=(1, ), out_dir=str(tmp_path / 'out'))
    metric.dataset_meta = dict(classes=NAMES)
    _evaluate(metric, _samples())
    with open(tmp_path / 'out' / 'class_report.csv') as f:
        rows = list(csv.DictReader(f))
    assert [r['class'] for r in rows] == NAMES
    assert [int(r['support']) for r in rows] == [4, 2, 1, 0]
    assert float(rows[1]['precision']) == pytest.approx(1 / 3)
    assert float(rows[0]['f1']) == pytest.approx(6 / 7)
    with open(tmp_path / 'out' / 'class_report.json') as f:
        report = json.load(f)
    assert report['confusion_matrix'] == CONFUSION
    assert report['num_samples'] == 7
    assert report['summary']['top1'] == pytest.approx(4 / 7)
    assert report['per_class'][3]['recall'] == 0.0  # 0/0 -> zero_division
    with open(tmp_path / 'out' / 'class_report_confusion.csv') as f:
        matrix = list(csv.reader(f))
    assert matrix[0][1:] == NAMES
    assert matrix[1] == ['walk', '3', '1', '0', '0']


def test_undefined_values_are_null_in_json(tmp_path):
    metric = ClassReportMetric(zero_division=float('nan'), out_dir=tmp_path)
    _evaluate(metric, _samples())
    with open(tmp_path / 'class_report.json') as f:
        per_class = json.load(f)['per_class']
    assert per_class[2]['precision'] is None  # never predicted
    assert per_class[3]['recall'] is None  # never in the ground truth
    assert math.isnan(metric.last_report.precision[2])


def test_per_class_table_lists_only_classes_in_the_ground_truth():
    table = compute_class_report(LABELS, SCORES, class_names=NAMES)
    lines = table.format_table().splitlines()
    assert [line.split()[0] for line in lines] == ['class', *NAMES[:3]]
    assert lines[1].split() == ['walk', '4', '100.0', '75.0', '85.7']


def test_evaluator_from_config_writes_only_where_told(tmp_path):
    """No folder is guessed (say, from the logger's file handlers): without
    out_dir nothing is written; with it, the files go there."""
    log_dir = tmp_path / '20240101_000000'
    log_dir.mkdir()
    logger = MMLogger.get_instance(
        'test_class_report_metric', log_file=str(log_dir / 'run.log'))
    try:
        for out_dir in (None, str(tmp_path / 'reports')):
            with DefaultScope.overwrite_default_scope('mmaction'):
                evaluator = Evaluator(
                    dict(type='ClassReportMetric', topk=(1, 2, 3),
                         out_dir=out_dir))
            evaluator.dataset_meta = dict(classes=NAMES)
            evaluator.process(_samples())  # ActionDataSamples, as in a loop
            assert evaluator.evaluate(len(LABELS)) == pytest.approx(EXPECTED)
    finally:
        for handler in list(logger.handlers):
            if isinstance(handler, logging.FileHandler):
                logger.removeHandler(handler)
                handler.close()
    assert sorted(p.name for p in log_dir.iterdir()) == ['run.log']
    with open(tmp_path / 'reports' / 'class_report.json') as f:
        assert json.load(f)['class_names'] == NAMES


def test_bad_samples_are_named():
    metric = ClassReportMetric()
    good = [s.to_dict() for s in _samples()]
    del good[2]['pred_score']
    with pytest.raises(
            ValueError,
            match=r"sample 2 \(video_id='clip2'\), "
            r"field 'pred_score': missing"):
        metric.process(None, good)
    multi = _samples()[0].to_dict()
    multi['gt_label'] = torch.tensor([0, 1])
    with pytest.raises(ValueError, match='multi-label'):
        ClassReportMetric().process(None, [multi])


def test_num_classes_labels_and_names_are_checked():
    with pytest.raises(ValueError, match='num_classes=5'):
        _evaluate(ClassReportMetric(num_classes=5), _samples())
    with pytest.raises(ValueError, match=r'sample 6: label 4 is outside'):
        _evaluate(ClassReportMetric(), _samples(labels=LABELS[:6] + [4]))
    metric = ClassReportMetric()
    metric.dataset_meta = dict(classes=NAMES[:3])
    with pytest.raises(ValueError, match='has 3 names but the scores have 4'):
        _evaluate(metric, _samples())
    short = [s.to_dict() for s in _samples()]
    short[4]['pred_score'] = torch.ones(3)
    metric = ClassReportMetric()
    metric.process(None, short)
    with pytest.raises(ValueError, match='sample 4.*3 scores, but sample 0'):
        metric.evaluate(len(short))


@pytest.mark.parametrize('kwargs', [
    dict(topk=(1, 0)),
    dict(topk=()),
    dict(num_classes=0),
    dict(zero_division=0.5)
])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        ClassReportMetric(**kwargs)
