"""The conditions of a Skeleton-C run, shared by the deep and classic paths.

:class:`SkeletonCConditions` is what a run of a suite needs to know, apart
from the model: which conditions there are on this data (severity 0 once,
then every severity of every corruption the data's dimensionality
supports), how a test pipeline gets its corruption and mitigation, how one
condition is set, and how a two-person corruption's results count the
one-person clips out. :class:`~.skeleton_c_loop.SkeletonCTestLoop` (MMEngine
models) and :func:`mmhar_robust.baselines.skeleton_c.classic_skeleton_c`
(scikit-learn models) both use it, so the two write the same conditions,
settings and records and ``tools/skeleton_c.py`` pairs them sample by
sample.
"""
import logging
from typing import Dict, Hashable, List, Optional, Sequence

import numpy as np
from mmengine.logging import print_log

from ...datasets.transforms.corruptions.missing import persons_present
from ...datasets.transforms.keypoint_visibility import keypoint_visibility
from ...registry import TRANSFORMS
from ...suites import DEFAULT_VERSION, load_suite
from .noise_sweep_loop import find_or_insert_noise

MITIGATIONS = {
    'none': None,
    'interpolate': dict(type='InterpolateMissing'),
    'median': dict(type='TemporalMedianFilter'),
}
CLEAN = dict(family='clean', corruption='clean', severity=0)
RECORD_KEYS = ('family', 'corruption', 'severity')


def two_person_mask(dataset) -> np.ndarray:
    """Which samples of a dataset have two present persons (dataset
    order), from the annotations (before any pipeline)."""
    return np.array([
        persons_present(keypoint_visibility(
            dataset.get_data_info(i))).size >= 2
        for i in range(len(dataset))
    ], dtype=bool)


class SkeletonCConditions:
    """A suite's conditions on one test dataset.

    Args:
        suite (str): Suite version. Defaults to 'skeleton_c_v1'.
        families (Sequence[str], optional): Families to run; None: all.
            Defaults to None.
        mitigation (str): 'none', 'interpolate' (InterpolateMissing) or
            'median' (TemporalMedianFilter). Defaults to 'none'.
        seed (int): Corruption seed. Defaults to 0.

    Raises:
        ValueError: An unknown mitigation, suite version or family.
    """

    def __init__(self,
                 suite: str = DEFAULT_VERSION,
                 families: Optional[Sequence[str]] = None,
                 mitigation: str = 'none',
                 seed: int = 0) -> None:
        if mitigation not in MITIGATIONS:
            raise ValueError(f'unknown mitigation {mitigation!r}; choose '
                             f'from {sorted(MITIGATIONS)}')
        self.suite = load_suite(suite)
        self.chosen = self.suite.select(families)
        self.mitigation = mitigation
        self.seed = seed
        self.items = list(self.chosen)

    def prepare(self, dataset):
        """Put the corruption (and the mitigation right after it) into the
        dataset's pipeline, where the noise sweep puts seed 001's noise: on
        the raw clip, before frame sampling and geometry. Keep the
        corruptions that apply to the data's dimensionality, with a log
        line for the others.

        Returns:
            KeypointNoise: The corruption transform, set per condition by
            :meth:`set`.
        """
        if len(dataset) == 0:
            raise ValueError('the Skeleton-C test dataset is empty')
        info = dataset.get_data_info(0)
        noise = find_or_insert_noise(dataset.pipeline, 'seed001', self.seed,
                                     info)
        noise.scale = 'body'  # set per corruption from the suite
        dims = f'{info["keypoint"].shape[-1]}d'
        self.items = [c for c in self.chosen if dims in c.dims]
        left_out = [c.name for c in self.chosen if dims not in c.dims]
        if left_out:
            print_log(
                f'{self.suite.version}: {left_out} do not apply to {dims} '
                'keypoints and are left out',
                logger='current',
                level=logging.WARNING)
        if MITIGATIONS[self.mitigation] is not None:
            transforms = dataset.pipeline.transforms
            transforms.insert(
                transforms.index(noise) + 1,
                TRANSFORMS.build(MITIGATIONS[self.mitigation]))
        return noise

    def conditions(self) -> List[Dict]:
        """Clean first, then every severity of every kept corruption."""
        return [dict(CLEAN)] + [
            dict(family=c.family, corruption=c.name, severity=s)
            for c in self.items for s in range(1, len(c.levels) + 1)
        ]

    def set(self, noise, condition: Dict) -> None:
        """Set a ``KeypointNoise`` to one condition."""
        if condition['severity'] == 0:
            noise.set_corruption('gaussian', 0.0)
            return
        item = self.suite.corruption(condition['corruption'])
        noise.scale = item.scale or 'body'
        noise.set_corruption(
            item.name, self.suite.level(item.name, condition['severity']))

    def settings(self) -> Dict:
        """What the results depend on besides the model and the data."""
        return dict(suite=self.suite.version, seed=self.seed,
                    mitigation=self.mitigation)

    @staticmethod
    def equivalent(condition: Dict) -> Hashable:
        """Conditions with the same inputs (every family's severity 0)."""
        if condition['severity'] == 0:
            return ('clean', )
        return (condition['corruption'], condition['severity'])

    @staticmethod
    def describe(condition: Dict) -> str:
        if condition['severity'] == 0:
            return 'clean'
        return f'{condition["corruption"]} @ severity {condition["severity"]}'

    def needs_two_persons(self, condition: Dict) -> bool:
        return condition['severity'] != 0 and self.suite.corruption(
            condition['corruption']).two_person

    def count_out_one_person(self, condition: Dict, metrics: Dict,
                             outcomes: Dict, keep: np.ndarray) -> None:
        """Score a two-person corruption on the two-person clips only, in
        place: their predictions become -1 in ``outcomes``, top-1 and
        mean-class accuracy are recomputed over the kept clips (NaN if
        none), top-5 is dropped, ``skeleton_c/n_skipped`` counts the clips
        left out. Other conditions are left as they are.

        Args:
            condition (dict): The condition.
            metrics (dict): Its metrics (``acc/...`` keys).
            outcomes (dict): Its per-sample ``pred`` and ``gt`` (if kept).
            keep (np.ndarray): Boolean, one per sample: two persons.
        """
        if not self.needs_two_persons(condition):
            return
        skipped = int((~keep).sum())
        if 'pred' not in outcomes:
            metrics['skeleton_c/n_skipped'] = skipped
            return
        pred = np.asarray(outcomes['pred']).copy()
        gt = np.asarray(outcomes['gt'])
        pred[~keep] = -1
        outcomes['pred'] = pred.tolist()
        right = pred[keep] == gt[keep]
        classes = np.unique(gt[keep])
        metrics.clear()
        metrics.update({
            'acc/top1':
            float(right.mean()) if right.size else float('nan'),
            'acc/mean_class_accuracy':
            float(np.mean([right[gt[keep] == c].mean() for c in classes]))
            if classes.size else float('nan'),
            'skeleton_c/n_skipped': skipped,
        })
