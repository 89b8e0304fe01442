"""Bootstrap intervals and the exact McNemar test: hand-computed cases, the
exact bootstrap distribution, and an independent bootstrap that resamples
indices."""
import itertools
from math import comb

import numpy as np
import pytest
from scipy.stats import binom, multinomial

from mmhar_robust.evaluation.paired_stats import (as_outcomes, bootstrap_ci,
                                                  discordant_pairs,
                                                  mcnemar_exact,
                                                  paired_bootstrap_diff)


def _index_bootstrap(stat, arrays, num_resamples, seed, confidence=0.95):
    """The textbook bootstrap: draw n indices with replacement, recompute
    the statistic on every array at those indices."""
    rng = np.random.default_rng(seed)
    n = len(arrays[0])
    values = [
        stat(*(a[idx] for a in arrays))
        for idx in rng.integers(0, n, size=(num_resamples, n))
    ]
    tail = (1 - confidence) / 2
    return np.quantile(values, [tail, 1 - tail])


def _exact_quantile(support, probs, q):
    """Smallest support value whose cumulative probability reaches q."""
    order = np.argsort(support)
    cdf = np.cumsum(np.asarray(probs)[order])
    return np.asarray(support)[order][np.searchsorted(cdf, q - 1e-12)]


def test_mcnemar_hand_computed():
    # b=1, c=6: two-sided exact p = 2 * (C(7,0) + C(7,1)) / 2^7 = 16/128.
    assert mcnemar_exact(1, 6) == pytest.approx(0.125, abs=1e-12)
    assert mcnemar_exact(1, 6) == pytest.approx(
        2 * (comb(7, 0) + comb(7, 1)) / 2**7, abs=1e-12)
    assert mcnemar_exact(6, 1) == pytest.approx(0.125, abs=1e-12)
    assert mcnemar_exact(0, 5) == pytest.approx(2 / 32, abs=1e-12)
    # b=2, c=8: 2 * (1 + 10 + 45) / 1024.
    assert mcnemar_exact(2, 8) == pytest.approx(112 / 1024, abs=1e-12)
    assert mcnemar_exact(3, 3) == 1.0
    assert mcnemar_exact(0, 0) == 1.0  # no discordant sample


@pytest.mark.parametrize('b,c', [(-1, 2), (1.5, 2), (1, -3)])
def test_mcnemar_refuses_non_counts(b, c):
    with pytest.raises(ValueError, match='must be a count'):
        mcnemar_exact(b, c)


def test_discordant_pairs_by_hand():
    a = [1, 1, 1, 0, 0, 1, 0]
    b = [1, 0, 0, 1, 0, 0, 0]
    assert discordant_pairs(a, b) == (3, 1)
    assert discordant_pairs(b, a) == (1, 3)
    with pytest.raises(ValueError, match='differ in length: 7 and 2'):
        discordant_pairs(a, [1, 0])


def test_outcomes_are_checked():
    assert as_outcomes([1, 0, True]).tolist() == [True, False, True]
    with pytest.raises(ValueError, match='0/1'):
        as_outcomes([1, 2])
    with pytest.raises(ValueError, match='non-empty 1-D'):
        as_outcomes([])
    with pytest.raises(ValueError, match='non-empty 1-D'):
        as_outcomes([[1, 0]])
    with pytest.raises(ValueError, match='confidence'):
        bootstrap_ci([1, 0], confidence=1.0)
    with pytest.raises(ValueError, match='num_resamples'):
        paired_bootstrap_diff([1, 0], [0, 1], num_resamples=0)


def test_bootstrap_ci_hand_computed():
    # 3 of 4 right: a resample's hits ~ Binomial(4, 3/4), P(k <= 0) =
    # 1/256 < 2.5 % < P(k <= 1) = 13/256 and P(k <= 3) = 175/256 < 97.5 %:
    # the interval is [1/4, 4/4].
    assert bootstrap_ci([1, 1, 1, 0]) == (0.25, 1.0)
    assert bootstrap_ci([1] * 5) == (1.0, 1.0)
    assert bootstrap_ci([0] * 5) == (0.0, 0.0)


def test_bootstrap_ci_matches_the_exact_and_an_index_bootstrap():
    correct = np.array([1] * 150 + [0] * 50)
    n = correct.size
    low, high = bootstrap_ci(correct, seed=0)
    # The bootstrap distribution of the mean is Binomial(n, 0.75) / n.
    assert abs(low - binom.ppf(0.025, n, 0.75) / n) <= 1 / n
    assert abs(high - binom.ppf(0.975, n, 0.75) / n) <= 1 / n
    by_index = _index_bootstrap(np.mean, [correct], 4000, seed=123)
    assert abs(low - by_index[0]) <= 1 / n
    assert abs(high - by_index[1]) <= 1 / n
    # 90 % is narrower.
    low90, high90 = bootstrap_ci(correct, confidence=0.9)
    assert low <= low90 and high90 <= high


def test_bootstrap_is_seeded_and_leaves_the_global_rng_alone():
    correct = np.array([1, 0, 1, 1, 0, 1, 0, 1, 1, 1] * 7)
    np.random.seed(5)
    state = np.random.get_state()
    first = bootstrap_ci(correct, seed=3)
    assert bootstrap_ci(correct, seed=3) == first
    assert paired_bootstrap_diff(correct, correct[::-1], seed=3) == \
        paired_bootstrap_diff(correct, correct[::-1], seed=3)
    after = np.random.get_state()
    assert after[0] == state[0] and np.array_equal(after[1], state[1])


def test_paired_diff_hand_computed():
    assert paired_bootstrap_diff([1, 0, 1], [1, 0, 1]) == (0.0, 0.0, 0.0)
    assert paired_bootstrap_diff([1, 1], [0, 0]) == (1.0, 1.0, 1.0)
    diff, low, high = paired_bootstrap_diff([1, 1, 1, 0], [1, 0, 0, 1])
    assert diff == pytest.approx((2 - 1) / 4)
    assert low <= diff <= high


def test_paired_diff_matches_the_exact_bootstrap_distribution():
    # 10 samples: 4 only A right, 1 only B right, 5 concordant.
    a = np.array([1, 1, 1, 1, 0, 1, 1, 0, 0, 0])
    b = np.array([0, 0, 0, 0, 1, 1, 1, 0, 0, 0])
    n = a.size
    diff, low, high = paired_bootstrap_diff(a, b, seed=0)
    assert diff == pytest.approx(0.3)
    # Every resample is a count vector (only A, only B, concordant) ~
    # Multinomial(10; .4, .1, .5); enumerate them all.
    support, probs = [], []
    for m1, m2 in itertools.product(range(n + 1), repeat=2):
        if m1 + m2 <= n:
            support.append((m1 - m2) / n)
            probs.append(
                multinomial.pmf([m1, m2, n - m1 - m2], n, [.4, .1, .5]))
    assert sum(probs) == pytest.approx(1.0)
    assert abs(low - _exact_quantile(support, probs, 0.025)) <= 1 / n
    assert abs(high - _exact_quantile(support, probs, 0.975)) <= 1 / n


def test_paired_diff_matches_an_index_bootstrap():
    rng = np.random.default_rng(7)
    a = rng.random(300) < 0.7
    b = np.where(rng.random(300) < 0.8, a, ~a)  # agrees on about 80 %
    diff, low, high = paired_bootstrap_diff(a, b, seed=0)
    assert diff == pytest.approx(a.mean() - b.mean())
    by_index = _index_bootstrap(
        lambda x, y: x.mean() - y.mean(), [a, b], 4000, seed=11)
    assert abs(low - by_index[0]) <= 1.5 / a.size
    assert abs(high - by_index[1]) <= 1.5 / a.size
    # Pairing matters: the unpaired interval (independent resamples of
    # each model) is wider when the models agree on most samples.
    width = high - low
    rng2 = np.random.default_rng(0)
    unpaired = [
        a[rng2.integers(0, 300, 300)].mean() -
        b[rng2.integers(0, 300, 300)].mean() for _ in range(2000)
    ]
    assert np.diff(np.quantile(unpaired, [0.025, 0.975]))[0] > 1.2 * width
