"""mPC and rPC recomputed by hand from a small results table, and the
bootstrap's intervals on outcomes whose answer is known."""
import numpy as np
import pytest

from mmhar_robust.evaluation.skeleton_c import (bootstrap_mpc, clean_on_kept,
                                                families_of,
                                                format_mpc_table,
                                                mpc_summary)


def rows():
    table = [('clean', 'clean', 0, 0.8)]
    # noise/a: 0.7 0.6 0.5 0.4 0.3 (mean 0.5); noise/b: all 0.7;
    # time/c: 0.4 x 5. Two severities would do, five as in the suite.
    table += [('noise', 'a', s, 0.8 - 0.1 * s) for s in range(1, 6)]
    table += [('noise', 'b', s, 0.7) for s in range(1, 6)]
    table += [('time', 'c', s, 0.4) for s in range(1, 6)]
    return [
        dict(model='m', family=f, corruption=c, severity=s, top1=v)
        for f, c, s, v in table
    ]


def test_mpc_and_rpc_by_hand():
    (row, ) = mpc_summary(rows())
    assert row['clean'] == 0.8
    assert row['mPC_noise'] == pytest.approx((0.5 + 0.7) / 2)  # 0.6
    assert row['mPC_time'] == pytest.approx(0.4)
    assert row['mPC'] == pytest.approx((0.5 + 0.7 + 0.4) / 3)  # 0.5333
    assert row['rPC'] == pytest.approx(0.5333333 / 0.8, rel=1e-6)
    assert row['rPC_time'] == pytest.approx(0.5)


def test_bootstrap_is_exact_on_constant_outcomes_and_skips_count_out():
    gt = [0, 1, 2, 3]
    right = dict(pred=gt, gt=gt)
    half = dict(pred=[0, 1, 9, 9], gt=gt)
    # A two-person corruption that skipped clips 2 and 3: 2 of 2 right.
    skipped = dict(pred=[0, 1, -1, -1], gt=gt)
    outcomes = {
        'm': {('clean', 'clean', 0): right,
              ('f', 'a', 1): half, ('f', 'b', 1): skipped},
        'n': {('clean', 'clean', 0): right,
              ('f', 'a', 1): half, ('f', 'b', 1): half},
    }
    stats = bootstrap_mpc(outcomes, 'n', num_resamples=300, seed=1)
    assert stats['m']['clean_low'] == stats['m']['clean_high'] == 1.0
    # Outcomes of a and b are the same samples' in 'm' (0, 1 right), so the
    # mean of their accuracies varies; in every resample m's b >= n's b.
    assert stats['m']['diff_mPC_low'] >= 0
    assert stats['m']['mPC_low'] < 0.75 < stats['m']['mPC_high']
    assert 'diff_mPC_low' not in stats['n']
    with pytest.raises(ValueError, match='other conditions'):
        bootstrap_mpc({'m': outcomes['m'], 'x': {}}, num_resamples=10)


def test_table_columns_are_the_families_not_the_interval_bounds():
    (row, ) = mpc_summary(rows())
    row.update(mPC_low=0.4, mPC_high=0.6, rPC_low=0.5, rPC_high=0.8,
               mPC_noise_low=0.5, mPC_noise_high=0.7)
    assert families_of(row) == ['noise', 'time']
    lines = format_mpc_table([row], 'v1').splitlines()
    assert lines[2] == ('| model | mitigation | clean top-1 | mPC | rPC | '
                        'mPC noise | mPC time |')
    assert lines[4].startswith('| m | none | 80.0 | 53.3 [40.0, 60.0] | '
                               '66.7 [50.0, 80.0] | 60.0 [50.0, 70.0] | '
                               '40.0 |')


def test_clean_accuracy_over_the_clips_two_person_corruptions_keep():
    gt = [0, 1, 2, 3, 4]
    outcomes = {
        ('clean', 'clean', 0): dict(pred=[0, 9, 2, 9, 9], gt=gt),
        ('noise', 'a', 1): dict(pred=[0, 1, 2, 3, 4], gt=gt),
        # clips 3 and 4 have one person: skipped at every severity.
        ('missing', 'p', 1): dict(pred=[0, 1, 9, -1, -1], gt=gt),
        ('missing', 'p', 2): dict(pred=[9, 1, 2, -1, -1], gt=gt),
    }
    # Clean over clips 0-2: right on 0 and 2.
    assert clean_on_kept(outcomes) == pytest.approx(2 / 3)
    del outcomes[('missing', 'p', 1)], outcomes[('missing', 'p', 2)]
    assert clean_on_kept(outcomes) is None
