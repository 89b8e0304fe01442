"""A test loop that runs a versioned corruption suite (Skeleton-C)."""
import copy
import logging
import os.path as osp
from typing import Dict, Hashable, List, Optional, Sequence, Union

import numpy as np
from mmengine.evaluator import Evaluator
from mmengine.logging import print_log
from torch.utils.data import DataLoader

from ...suites import DEFAULT_VERSION, load_suite
from ...datasets.transforms.corruptions.missing import persons_present
from ...datasets.transforms.keypoint_visibility import keypoint_visibility
from ...registry import LOOPS, TRANSFORMS
from .noise_sweep_loop import NoiseSweepTestLoop, find_or_insert_noise
from .sweep_loop import SweepTestLoop

MITIGATIONS = {
    'none': None,
    'interpolate': dict(type='InterpolateMissing'),
    'median': dict(type='TemporalMedianFilter'),
}
CLEAN = dict(family='clean', corruption='clean', severity=0)


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
    support (``dims`` in the suite) are left out, with a log line.

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
    record_keys = ('family', 'corruption', 'severity')
    code_files = NoiseSweepTestLoop.code_files + (
        'datasets/transforms/temporal_mitigation.py', 'suites')

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
        if mitigation not in MITIGATIONS:
            raise ValueError(f'unknown mitigation {mitigation!r}; choose '
                             f'from {sorted(MITIGATIONS)}')
        out_file = out_file or osp.join(runner.work_dir, 'skeleton_c.jsonl')
        super().__init__(runner, dataloader, evaluator, out_file, model_name,
                         fp16, overwrite, conditions_per_pass)
        self.suite = load_suite(suite)
        dataset = self.dataloader.dataset
        if len(dataset) == 0:
            raise ValueError('the Skeleton-C test dataset is empty')
        info = dataset.get_data_info(0)
        self.noise = find_or_insert_noise(dataset.pipeline, 'seed001', seed,
                                          info)
        self.noise.scale = 'body'  # set per corruption from the suite
        self.dims = f'{info["keypoint"].shape[-1]}d'
        chosen = self.suite.select(families)
        self.items = [c for c in chosen if self.dims in c.dims]
        left_out = [c.name for c in chosen if self.dims not in c.dims]
        if left_out:
            print_log(
                f'{self.suite.version}: {left_out} do not apply to '
                f'{self.dims} keypoints and are left out',
                logger='current',
                level=logging.WARNING)
        self.mitigation = mitigation
        if MITIGATIONS[mitigation] is not None:
            transforms = dataset.pipeline.transforms
            transforms.insert(
                transforms.index(self.noise) + 1,
                TRANSFORMS.build(MITIGATIONS[mitigation]))
        self.seed = seed
        self._two_person: Optional[np.ndarray] = None

    def conditions(self) -> List[Dict]:
        return [dict(CLEAN)] + [
            dict(family=c.family, corruption=c.name, severity=s)
            for c in self.items for s in range(1, len(c.levels) + 1)
        ]

    def _set(self, noise, condition: Dict) -> None:
        if condition['severity'] == 0:
            noise.set_corruption('gaussian', 0.0)
            return
        item = self.suite.corruption(condition['corruption'])
        noise.scale = item.scale or 'body'
        noise.set_corruption(
            item.name, self.suite.level(item.name, condition['severity']))

    def apply(self, condition: Dict) -> None:
        self._set(self.noise, condition)

    def condition_pipeline(self, condition: Dict) -> List:
        noise = copy.copy(self.noise)
        self._set(noise, condition)
        return [
            noise if t is self.noise else t
            for t in self.dataloader.dataset.pipeline.transforms
        ]

    def settings(self) -> Dict:
        return dict(
            suite=self.suite.version,
            seed=self.seed,
            mitigation=self.mitigation)

    def equivalent(self, condition: Dict) -> Hashable:
        if condition['severity'] == 0:
            return ('clean', )
        return (condition['corruption'], condition['severity'])

    def report_name(self, condition: Dict) -> str:
        if condition['severity'] == 0:
            return 'clean'
        return f'{condition["corruption"]}_s{condition["severity"]}'

    def describe(self, condition: Dict) -> str:
        if condition['severity'] == 0:
            return 'clean'
        return f'{condition["corruption"]} @ severity {condition["severity"]}'

    def two_person_mask(self) -> np.ndarray:
        """Which test clips have two present persons (dataset order)."""
        if self._two_person is None:
            dataset = self.dataloader.dataset
            self._two_person = np.array([
                persons_present(
                    keypoint_visibility(dataset.get_data_info(i))).size >= 2
                for i in range(len(dataset))
            ])
        return self._two_person

    def _evaluate(self, conditions: List[Dict], digest: str):
        results = super()._evaluate(conditions, digest)
        for condition, (metrics, outcomes) in zip(conditions, results):
            if condition['severity'] == 0 or not self.suite.corruption(
                    condition['corruption']).two_person:
                continue
            keep = self.two_person_mask()
            skipped = int((~keep).sum())
            if 'pred' not in outcomes:
                metrics['skeleton_c/n_skipped'] = skipped
                continue
            pred = np.asarray(outcomes['pred'])
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
                float(np.mean([right[gt[keep] == c].mean()
                               for c in classes]))
                if classes.size else float('nan'),
                'skeleton_c/n_skipped': skipped,
            })
        return results
