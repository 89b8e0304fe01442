"""The sweep tools' shared statistics: intervals and paired tests from
hand-made result records, and what is refused (and said) when records
cannot be paired."""
import argparse
import re

import pytest

from mmhar_robust.evaluation.paired_stats import (bootstrap_ci,
                                                  paired_bootstrap_diff)
from mmhar_robust.utils.sweep_io import (paired_statistics, stats_cells,
                                         stats_table)
from sweep_args import add_stats_arguments, check_stats_arguments

GT = [0, 1, 2, 0, 1, 1, 2]
# Right: a on samples 0, 1, 4; b on 0-5. Only b right: 2, 3, 5 (3 samples);
# only a right: none. Exact McNemar p = 2 * (1/2)^3 = 0.25.
PRED_A = [0, 1, 0, 1, 1, 0, 0]
PRED_B = [0, 1, 2, 0, 1, 1, 0]
DIGEST = 'f' * 64


def _record(pred, model, digest=DIGEST, gt=GT):
    right = sum(p == g for p, g in zip(pred, gt)) / len(gt)
    return dict(
        model=model,
        level=0.1,
        metrics={'acc/top1': right},
        samples=dict(test_set_sha256=digest, pred=pred, gt=gt))


def _header(model, **settings):
    header = dict(
        model=model,
        checkpoint=f'/{model}.pth',
        checkpoint_sha256=model * 8,
        scale='motion',
        seed=0)
    header.update(settings)
    return header


def test_intervals_and_paired_test_by_hand():
    headers = {m: _header(m) for m in 'ab'}
    records = {
        'a': {
            ('g', 0.1): _record(PRED_A, 'a')
        },
        'b': {
            ('g', 0.1): _record(PRED_B, 'b')
        }
    }
    stats, notes = paired_statistics(headers, records, 'a', seed=4)
    assert notes == []
    a, b = stats['a', ('g', 0.1)], stats['b', ('g', 0.1)]
    assert 'diff_top1' not in a  # the baseline is not compared to itself
    right_a = [p == g for p, g in zip(PRED_A, GT)]
    right_b = [p == g for p, g in zip(PRED_B, GT)]
    assert (a['top1_low'], a['top1_high']) == bootstrap_ci(right_a, seed=4)
    assert (b['top1_low'], b['top1_high']) == bootstrap_ci(right_b, seed=4)
    assert b['n_samples'] == 7
    assert (b['model_only_correct'], b['baseline_only_correct']) == (3, 0)
    assert b['mcnemar_p'] == pytest.approx(0.25)
    assert b['diff_top1'] == pytest.approx(3 / 7)
    assert (b['diff_top1'], b['diff_top1_low'], b['diff_top1_high']) == \
        paired_bootstrap_diff(right_b, right_a, seed=4)


def test_what_cannot_be_paired_is_said():
    headers = dict(
        a=_header('a'),
        b=_header('b'),
        c=_header('c', seed=1),
        d=_header('d'),
        e=_header('e'))
    old = _record(PRED_B, 'b')
    del old['samples']
    records = {
        'a': {
            ('g', 0.1): _record(PRED_A, 'a')
        },
        'b': {
            ('g', 0.1): old
        },
        'c': {
            ('g', 0.1): _record(PRED_B, 'c')
        },
        'd': {
            ('g', 0.1): _record(PRED_B, 'd', digest='e' * 64)
        },
        'e': {
            ('g', 0.1):
            dict(old, samples=dict(missing='scores per '
                                   'stream'))
        },
    }
    stats, notes = paired_statistics(headers, records, 'a')
    assert ('b', ('g', 0.1)) not in stats and ('e', ('g', 0.1)) not in stats
    # Other inputs (seed) or another test set: an interval, no pairing.
    assert 'top1_low' in stats['c', ('g', 0.1)]
    assert 'diff_top1' not in stats['c', ('g', 0.1)]
    assert 'diff_top1' not in stats['d', ('g', 0.1)]
    assert notes == [
        'b: 1 result(s) written before per-sample outcomes were kept, so no '
        'interval or paired test for them; delete results_b.jsonl and rerun '
        'to get them',
        'c: not paired with a, the inputs differ (seed in the result '
        'headers)',
        'd: not paired with a on another test set (1 condition(s))',
        'e: no per-sample outcomes (scores per stream)',
    ]


def test_own_model_and_pipeline_pair_other_annotations_do_not():
    """Each model brings its own weights, config and test pipeline after the
    noise; annotation files or noise code that differ mean other inputs."""
    own = dict(
        model_config=dict(type='R'),
        model_config_sha256='1' * 64,
        test_dataset=dict(pipeline=[]),
        test_dataset_sha256='2' * 64,
        evaluator=[],
        evaluator_sha256='3' * 64,
        fp16=True)
    headers = dict(
        a=_header('a', annotations={'x.pkl': '4' * 64}, code={'n.py': '5'}),
        b=_header(
            'b', annotations={'x.pkl': '4' * 64}, code={'n.py': '5'}, **own),
        c=_header('c', annotations={'x.pkl': '6' * 64}, code={'n.py': '7'}))
    records = {
        m: {
            ('g', 0.1): _record(PRED_B if m != 'a' else PRED_A, m)
        }
        for m in 'abc'
    }
    stats, notes = paired_statistics(headers, records, 'a')
    assert stats['b', ('g', 0.1)]['diff_top1'] == pytest.approx(3 / 7)
    assert 'diff_top1' not in stats['c', ('g', 0.1)]
    assert notes == [
        'c: not paired with a, the inputs differ (annotations, code in the '
        'result headers)'
    ]


def test_disagreeing_top1_is_reported():
    record = _record(PRED_A, 'a')
    record['metrics']['acc/top1'] = 0.5
    _, notes = paired_statistics({'a': _header('a')},
                                 {'a': {
                                     ('g', 0.1): record
                                 }}, 'a')
    assert notes == [
        "a ('g', 0.1): the outcomes give top-1 0.4286, the "
        'evaluator 0.5000'
    ]


def test_markdown_cells():
    row = dict(
        model='b',
        corruption='g',
        level=0.1,
        top1=6 / 7,
        top1_low=0.5714,
        top1_high=1.0,
        diff_top1=3 / 7,
        diff_top1_low=0.1429,
        diff_top1_high=0.7143,
        model_only_correct=3,
        baseline_only_correct=0,
        mcnemar_p=0.25)
    assert stats_cells(row) == [
        '85.7 [57.1, 100.0]', '+42.9 [+14.3, +71.4]', '3 / 0', '0.250'
    ]
    assert stats_cells(dict(row, mcnemar_p=2e-5))[3] == '2.0e-05'
    assert stats_cells(dict(model='a', top1=0.5)) == ['50.0', '', '', '']
    table = stats_table([row], ('corruption', 'level'), 'a').split('\n')
    assert table[0] == ('| model | corruption | level | top-1 % [95 % CI] '
                        '| Δ top-1 vs a, points [95 % CI] | right only: '
                        'model / a | McNemar p |')
    assert table[2] == ('| b | g | 0.1 | 85.7 [57.1, 100.0] | +42.9 '
                        '[+14.3, +71.4] | 3 / 0 | 0.250 |')


@pytest.mark.parametrize('argv,message', [
    (['--confidence', '1.5'], '--confidence must be in (0, 1), got 1.5'),
    (['--confidence', '0'], '--confidence must be in (0, 1), got 0.0'),
    (['--bootstrap-resamples', '0'], '--bootstrap-resamples must be >= 1'),
])
def test_bad_statistics_options_stop_the_tool(argv, message):
    parser = argparse.ArgumentParser()
    add_stats_arguments(parser)
    defaults = parser.parse_args([])
    assert (defaults.confidence, defaults.bootstrap_resamples,
            defaults.bootstrap_seed) == (0.95, 10000, 0)
    check_stats_arguments(defaults)
    with pytest.raises(SystemExit, match=re.escape(message)):
        check_stats_arguments(parser.parse_args(argv))
