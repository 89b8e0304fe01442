"""``SampleOutcomeMetric``: each test sample's predicted and true class, in
dataset order, for the sweeps' bootstrap intervals and paired tests."""
import logging
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log

from .sample_fields import PredictionError, describe, read_gt_label, _field

# The metainfo key that carries a sample's index in the dataset.
INDEX_KEY = 'sample_idx'


def top1_class(score: Any) -> int:
    """The class mmaction2's ``top_k_accuracy`` counts as top-1.

    It takes the last of ``np.argsort(scores)``; with tied scores that is
    not always ``argmax``, so the same call on the scores in their own dtype
    keeps the per-sample outcomes summing to ``acc/top1`` exactly.
    """
    if hasattr(score, 'detach'):
        score = score.detach().cpu().numpy()
    score = np.asarray(score)
    return int(np.argsort(score[None], axis=1)[0, -1])


class SampleOutcomeMetric(BaseMetric):
    """Collect ``(index, predicted class, true class)`` of every sample.

    The sweep loops add it to their evaluator: the result is not a score but
    the lists ``pred`` and ``gt`` in dataset order (position ``i`` is the
    dataset's sample ``i``). Each entry is one sample, so MMEngine's
    ``collect_results`` puts the ranks' parts back in sampler order and drops
    the padding a distributed sampler adds; the entries are then sorted by
    their index, a sample seen twice is kept once, and a missing one makes
    the outcomes unavailable rather than wrong. Samples must carry their
    index as ``sample_idx`` in their metainfo (the sweep loops' loader
    adds it).

    :meth:`compute_metrics` returns ``{'outcomes': dict(pred=[...],
    gt=[...])}``, or ``{'outcomes': dict(missing=<why>)}`` when the
    predictions cannot give them (scores per stream, multi-label samples,
    no index), never an error: the sweep's scores still count.

    Args:
        collect_device (str): Device to gather results across ranks on, 'cpu'
            or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Prefix of the result's name. Defaults to
            None (``'sample_outcomes'``).
        collect_dir (str, optional): Folder to gather results in with
            ``collect_device='cpu'``. Defaults to None.
    """
    default_prefix: Optional[str] = 'sample_outcomes'

    def __init__(self,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 collect_dir: Optional[str] = None) -> None:
        super().__init__(
            collect_device=collect_device,
            prefix=prefix,
            collect_dir=collect_dir)
        self._size: Optional[int] = None

    def process(self, data_batch: Any, data_samples: Sequence[Dict]) -> None:
        """Keep one ``(index, pred, gt)`` entry per sample; a sample that
        cannot give one leaves ``(-1, <why>, -1)``."""
        for position, sample in enumerate(data_samples):
            where = describe(sample, 'sweep predictions', position)
            try:
                index = sample.get(INDEX_KEY) if isinstance(
                    sample, Mapping) else getattr(sample, INDEX_KEY, None)
                if index is None:
                    raise PredictionError(where, INDEX_KEY, 'missing')
                score = _field(sample, 'pred_score', 'pred_scores', where)
                if isinstance(score, Mapping):
                    raise PredictionError(where, 'pred_score',
                                          'scores per stream')
                entry = (int(index), top1_class(score),
                         read_gt_label(sample, where))
            except PredictionError as error:
                entry = (-1, str(error), -1)
            self.results.append(entry)

    def evaluate(self, size: int) -> dict:
        """Gather every rank's entries; ``size`` is the dataset's length."""
        self._size = size
        return super().evaluate(size)

    def compute_metrics(self, results: List[Tuple]) -> Dict[str, Dict]:
        """Outcomes in dataset order (see the class docstring)."""
        problems = [r[1] for r in results if r[0] < 0]
        if problems:
            return dict(outcomes=dict(missing=problems[0]))
        by_index = {}
        for index, pred, gt in results:
            by_index.setdefault(index, (pred, gt))
        size = len(by_index) if self._size is None else self._size
        if sorted(by_index) != list(range(size)):
            absent = sorted(set(range(size)) - set(by_index))[:5]
            why = (f'got outcomes of {len(by_index)} of {size} samples '
                   f'(first absent: {absent}); the test sampler must visit '
                   'every sample')
            print_log(why, logger='current', level=logging.WARNING)
            return dict(outcomes=dict(missing=why))
        return dict(
            outcomes=dict(
                pred=[by_index[i][0] for i in range(size)],
                gt=[by_index[i][1] for i in range(size)]))
