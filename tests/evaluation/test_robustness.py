"""Curve summaries (AUC, relative robustness, CE and mCE) on tables small
enough to compute by hand."""
import math

import pytest

from mmhar_robust.evaluation.robustness import (add_relative_robustness,
                                                area_under_curve,
                                                corruption_error, format_table,
                                                relative_robustness, summarize)


def test_area_under_curve_by_hand():
    # Trapezoids: (1 + .8) / 2 * .01 + (.8 + .4) / 2 * .02 = .021, over a
    # range of .03: 0.7.
    assert area_under_curve([0, 0.01, 0.03], [1.0, 0.8, 0.4]) == \
        pytest.approx(0.7, abs=1e-12)
    # Order does not matter: points are sorted by level first.
    assert area_under_curve([0.03, 0, 0.01], [0.4, 1.0, 0.8]) == \
        pytest.approx(0.7, abs=1e-12)
    # A flat curve's area is its value; one level: the value itself.
    assert area_under_curve([0, 0.5, 1], [0.3] * 3) == pytest.approx(0.3)
    assert area_under_curve([0.1], [0.6]) == 0.6


def test_relative_robustness_and_corruption_error_by_hand():
    assert relative_robustness(0.4, 0.8) == 0.5
    assert math.isnan(relative_robustness(0.4, 0.0))
    # Errors .1 + .4 = .5 against the baseline's .2 + .5 = .7.
    assert corruption_error([0.9, 0.6], [0.8, 0.5]) == pytest.approx(5 / 7)
    assert math.isnan(corruption_error([0.9], [1.0]))  # perfect baseline


# Model a (the baseline) and b on corruptions g and d at levels 0 and 0.1.
TABLE = {
    ('a', 'g'): (0.8, 0.4),
    ('a', 'd'): (0.8, 0.6),
    ('b', 'g'): (0.9, 0.7),
    ('b', 'd'): (0.9, 0.5),
}


def _rows():
    return [
        dict(model=m, corruption=c, level=level, top1=value)
        for (m, c), values in TABLE.items()
        for level, value in zip((0.0, 0.1), values)
    ]


def test_summary_by_hand():
    rows = _rows()
    # b at g: an extra level the baseline lacks leaves CE alone.
    rows.append(dict(model='b', corruption='g', level=0.05, top1=0.8))
    summary = {
        (r['model'], r['corruption']): r
        for r in summarize(rows, 'top1', baseline='a')
    }
    b_g, b_d, b_mean = summary['b', 'g'], summary['b', 'd'], summary['b',
                                                                     'mean']
    assert b_g['clean'] == 0.9 and b_g['max_level'] == 0.1
    assert b_g['mean'] == pytest.approx(0.8)  # (.9 + .8 + .7) / 3
    # (.9 + .8) / 2 * .05 + (.8 + .7) / 2 * .05 = .08, over .1.
    assert b_g['auc'] == pytest.approx(0.8)
    assert b_g['rel_at_max'] == pytest.approx(0.7 / 0.9)
    # Shared levels 0 and .1: (.1 + .3) / (.2 + .6).
    assert b_g['ce'] == pytest.approx(0.5)
    assert b_d['auc'] == pytest.approx(0.7)
    assert b_d['ce'] == pytest.approx((0.1 + 0.5) / (0.2 + 0.4))
    assert b_mean['ce'] == pytest.approx(0.75)  # mCE
    assert b_mean['auc'] == pytest.approx(0.75)
    assert b_mean['rel_at_max'] == pytest.approx((0.7 / 0.9 + 0.5 / 0.9) / 2)
    assert summary['a', 'g']['ce'] == 1.0 and summary['a', 'mean']['ce'] == 1
    with pytest.raises(ValueError, match="baseline 'c' is not among"):
        summarize(rows, 'top1', baseline='c')


def test_relative_robustness_per_row():
    rows = _rows()
    add_relative_robustness(rows)
    rel = {
        (r['model'], r['corruption'], r['level']): r['rel_top1']
        for r in rows
    }
    assert rel['b', 'g', 0.0] == 1.0
    assert rel['b', 'g', 0.1] == pytest.approx(0.7 / 0.9)
    assert rel['a', 'd', 0.1] == pytest.approx(0.75)
    no_clean = [dict(model='a', corruption='g', level=0.1, top1=0.5)]
    add_relative_robustness(no_clean)
    assert math.isnan(no_clean[0]['rel_top1'])


def test_markdown_table():
    table = format_table(summarize(_rows(), 'top1', baseline='a')).split('\n')
    assert table[0] == ('| model | corruption | clean top1 | mean top1 | AUC '
                        '| rel. robustness @max | CE (mCE) |')
    assert '| b | g | 90.0 | 80.0 | 80.0 | 0.778 | 50.0 |' in table
    assert '| b | mean | 90.0 | 75.0 | 75.0 | 0.667 | 75.0 |' in table
