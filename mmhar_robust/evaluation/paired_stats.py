"""Uncertainty of top-1 accuracy on a finite test set, and paired tests of
two models evaluated on the same samples (the sweeps feed every model the
same corrupted inputs, so their per-sample outcomes pair up).

- :func:`bootstrap_ci`: percentile bootstrap interval of one model's
  accuracy, resampling test samples;
- :func:`paired_bootstrap_diff`: the same for the difference of two models'
  accuracies, resampling samples jointly (both outcomes of a sample travel
  together, which is what makes the interval paired);
- :func:`mcnemar_exact`: exact McNemar test on the discordant samples.

Outcomes are binary (right or wrong), so a resample of ``n`` samples matters
only through how many samples of each outcome it draws: those counts are
drawn directly (binomial, multinomial), which has the same distribution as
drawing ``n`` indices with replacement at a fraction of the cost. Every
function takes an explicit seed for its own ``numpy`` generator; none
touches the global RNG.
"""
from typing import Sequence, Tuple

import numpy as np
from scipy.stats import binomtest

Interval = Tuple[float, float]


def as_outcomes(correct: Sequence, name: str = 'correct') -> np.ndarray:
    """Per-sample outcomes as a 1-D boolean array.

    Args:
        correct (Sequence): 1/0 or True/False, one per test sample.
        name (str): Names the argument in errors. Defaults to 'correct'.

    Raises:
        ValueError: The array is empty, not 1-D, or holds values other than
            0 and 1.
    """
    values = np.asarray(correct)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f'{name}: expected a non-empty 1-D array of '
                         f'outcomes, got shape {values.shape}')
    if values.dtype != bool and not np.isin(values, (0, 1)).all():
        raise ValueError(f'{name}: outcomes must be 0/1 or True/False')
    return values.astype(bool)


def _check(confidence: float, num_resamples: int) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f'confidence must be in (0, 1), got {confidence}')
    if num_resamples < 1:
        raise ValueError(f'num_resamples must be >= 1, got {num_resamples}')


def _percentiles(stats: np.ndarray, confidence: float) -> Interval:
    tail = (1 - confidence) / 2
    low, high = np.quantile(stats, [tail, 1 - tail])
    return float(low), float(high)


def bootstrap_ci(correct: Sequence,
                 confidence: float = 0.95,
                 num_resamples: int = 10000,
                 seed: int = 0) -> Interval:
    """Percentile bootstrap interval of the accuracy ``mean(correct)``.

    Args:
        correct (Sequence): Per-sample outcomes (1: predicted right).
        confidence (float): Coverage of the interval. Defaults to 0.95.
        num_resamples (int): Bootstrap resamples. Defaults to 10000.
        seed (int): Seed of the generator. Defaults to 0.

    Returns:
        tuple[float, float]: Lower and upper bounds, as fractions.
    """
    _check(confidence, num_resamples)
    correct = as_outcomes(correct)
    n = correct.size
    rng = np.random.Generator(np.random.PCG64(seed))
    hits = rng.binomial(n, correct.mean(), size=num_resamples)
    return _percentiles(hits / n, confidence)


def discordant_pairs(correct_a: Sequence,
                     correct_b: Sequence) -> Tuple[int, int]:
    """``(b, c)``: samples only model A got right, and only model B.

    Raises:
        ValueError: The two outcome arrays differ in length.
    """
    a = as_outcomes(correct_a, 'correct_a')
    b = as_outcomes(correct_b, 'correct_b')
    if a.size != b.size:
        raise ValueError(f'paired outcomes differ in length: {a.size} and '
                         f'{b.size} samples')
    return int(np.sum(a & ~b)), int(np.sum(~a & b))


def paired_bootstrap_diff(correct_a: Sequence,
                          correct_b: Sequence,
                          confidence: float = 0.95,
                          num_resamples: int = 10000,
                          seed: int = 0) -> Tuple[float, float, float]:
    """Accuracy of A minus accuracy of B on the same samples, with its
    paired percentile bootstrap interval.

    Each resample draws ``n`` samples with replacement and keeps both
    models' outcomes of every drawn sample.

    Args:
        correct_a (Sequence): Per-sample outcomes of model A.
        correct_b (Sequence): Those of model B, sample by sample.
        confidence (float): Coverage of the interval. Defaults to 0.95.
        num_resamples (int): Bootstrap resamples. Defaults to 10000.
        seed (int): Seed of the generator. Defaults to 0.

    Returns:
        tuple[float, float, float]: The difference, its lower and upper
        bounds, as fractions.
    """
    _check(confidence, num_resamples)
    only_a, only_b = discordant_pairs(correct_a, correct_b)
    n = len(correct_a)
    # Only the discordant samples change the difference; the concordant
    # ones (both right or both wrong) are one category.
    probs = np.array([only_a, only_b, n - only_a - only_b]) / n
    rng = np.random.Generator(np.random.PCG64(seed))
    counts = rng.multinomial(n, probs, size=num_resamples)
    low, high = _percentiles((counts[:, 0] - counts[:, 1]) / n, confidence)
    return (only_a - only_b) / n, low, high


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value from the discordant counts.

    Under the null hypothesis (both models equally accurate) each of the
    ``b + c`` discordant samples is equally likely to favour either model,
    so ``b ~ Binomial(b + c, 1/2)``; the p-value is that binomial test's.

    Args:
        b (int): Samples only the first model got right.
        c (int): Samples only the second model got right.

    Returns:
        float: The p-value; 1.0 when there is no discordant sample.

    Raises:
        ValueError: A count is negative or not an integer.
    """
    for name, value in (('b', b), ('c', c)):
        if int(value) != value or value < 0:
            raise ValueError(
                f'{name} must be a count (an integer >= 0), got {value}')
    if b + c == 0:
        return 1.0
    return float(binomtest(int(b), int(b + c), 0.5).pvalue)
