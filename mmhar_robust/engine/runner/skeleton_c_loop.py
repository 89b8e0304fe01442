"""A test loop that runs a versioned corruption suite (Skeleton-C)."""
import copy
import os.path as osp
from typing import Dict, Hashable, List, Optional, Sequence, Union

import numpy as np
from mmengine.evaluator import Evaluator
from torch.utils.data import DataLoader

from ...suites import DEFAULT_VERSION
from ...registry import LOOPS
from .noise_sweep_loop import NoiseSweepTestLoop
from .skeleton_c_conditions import (MITIGATIONS, RECORD_KEYS,
                                    SkeletonCConditions, two_person_mask)
from .sweep_loop import SweepTestLoop

__all__ = ['SkeletonCTestLoop', 'MITIGATIONS']


@LOOPS.register_module()
class SkeletonCTestLoop(SweepTestLoop):
    """Evaluate the model on the clean test set and at every severity of
    every corruption of a suite (docs/skeleton_c.md).

    The conditions are ``(family, corruption, severity)``, with the levels
    fixed by the suite file; the clean input is one condition,
    ``('clean', 'clean', 0)``. The test pipeline's ``KeypointNoise`` (put
    where the noise sweep puts seed 001's: on the raw clip, before frame
    sampling and geometry) is set to each; all conditions are evaluated from
    one read of each sample, and the results resume like the noise sweep's
    (:class:`SweepTestLoop`). Corruptions the data's dimensionality does not
    support (``dims`` in the suite) are left out, with a log line. What the
    conditions are and how they are set is
    :class:`~.skeleton_c_conditions.SkeletonCConditions`, shared with the
    classic baselines' run.

    Two-person corruptions leave one-person clips unchanged; their records
    count those clips out: their predictions are written as -1 in the
    record's outcomes, ``acc/top1`` and ``acc/mean_class_accuracy`` are taken
    over the two-person clips only, top-5 is not reported, and
    ``skeleton_c/n_skipped`` counts the clips left out.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): Test dataloader.
        evaluator (Evaluator | dict | list): Test metrics.
        suite (str): Suite version. Defaults to 'skeleton_c_v1'.
        families (Sequence[str], optional): Families to run; None: all.
            Defaults to None.
        mitigation (str): 'none', 'interpolate' (InterpolateMissing) or
            'median' (TemporalMedianFilter), put right after the corruption.
            Defaults to 'none'.
        seed (int): Corruption seed. Defaults to 0.
        out_file (str, optional): Result file; defaults to
            ``<work_dir>/skeleton_c.jsonl``.
        model_name (str, optional): Name written with the results.
            Defaults to None.
        fp16 (bool): Test in fp16. Defaults to False.
        overwrite (bool): Replace ``out_file``. Defaults to False.
        conditions_per_pass (int, optional): As in :class:`SweepTestLoop`.
            Defaults to None.
    """
    kind = 'Skeleton-C'
    unit = 'condition'
    record_keys = RECORD_KEYS
    code_files = NoiseSweepTestLoop.code_files + (
        'datasets/transforms/temporal_mitigation.py', 'suites',
        'engine/runner/skeleton_c_conditions.py')

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 evaluator: Union[Evaluator, Dict, List],
                 suite: str = DEFAULT_VERSION,
                 families: Optional[Sequence[str]] = None,
                 mitigation: str = 'none',
                 seed: int = 0,
                 out_file: Optional[str] = None,
                 model_name: Optional[str] = None,
                 fp16: bool = False,
                 overwrite: bool = False,
                 conditions_per_pass: Optional[int] = None) -> None:
        self.spec = SkeletonCConditions(suite, families, mitigation, seed)
        out_file = out_file or osp.join(runner.work_dir, 'skeleton_c.jsonl')
        super().__init__(runner, dataloader, evaluator, out_file, model_name,
                         fp16, overwrite, conditions_per_pass)
        self.noise = self.spec.prepare(self.dataloader.dataset)
        self._two_person: Optional[np.ndarray] = None

    @property
    def suite(self):
        return self.spec.suite

    @property
    def items(self):
        return self.spec.items

    def conditions(self) -> List[Dict]:
        return self.spec.conditions()

    def apply(self, condition: Dict) -> None:
        self.spec.set(self.noise, condition)

    def condition_pipeline(self, condition: Dict) -> List:
        noise = copy.copy(self.noise)
        self.spec.set(noise, condition)
        return [
            noise if t is self.noise else t
            for t in self.dataloader.dataset.pipeline.transforms
        ]

    def settings(self) -> Dict:
        return self.spec.settings()

    def equivalent(self, condition: Dict) -> Hashable:
        return self.spec.equivalent(condition)

    def report_name(self, condition: Dict) -> str:
        if condition['severity'] == 0:
            return 'clean'
        return f'{condition["corruption"]}_s{condition["severity"]}'

    def describe(self, condition: Dict) -> str:
        return self.spec.describe(condition)

    def two_person_mask(self) -> np.ndarray:
        """Which test clips have two present persons (dataset order)."""
        if self._two_person is None:
            self._two_person = two_person_mask(self.dataloader.dataset)
        return self._two_person

    def _evaluate(self, conditions: List[Dict], digest: str):
        results = super()._evaluate(conditions, digest)
        for condition, (metrics, outcomes) in zip(conditions, results):
            if self.spec.needs_two_persons(condition):  # mask read lazily
                self.spec.count_out_one_person(condition, metrics, outcomes,
                                               self.two_person_mask())
        return results
