"""A test loop that evaluates a model at every level of keypoint corruption."""
import copy
import logging
import os.path as osp
from typing import Dict, Hashable, List, Optional, Sequence, Tuple, Union

from mmengine.evaluator import Evaluator
from mmengine.logging import print_log
from torch.utils.data import DataLoader

from ...datasets.transforms import (KeypointNoise, check_level,
                                    expand_corruptions)
from ...registry import LOOPS
from .sweep_loop import SweepTestLoop

DEFAULT_LEVELS = (0, 0.001, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1)
# The noise goes in before the first of these: keypoints must still be in the
# original video's pixels (or metres) when it is added.
_GEOMETRY = ('PreNormalize2D', 'PreNormalize3D', 'GenSkeFeat', 'PoseCompact',
             'Resize', 'RandomResizedCrop', 'CenterCrop', 'Flip',
             'GeneratePoseTarget', 'FormatGCNInput', 'ForEachView',
             'MotionBERTNormalize', 'COCOToH36M', 'MotionBERTRandomMove',
             'MotionBERTCropScale')


def check_levels(levels: Sequence[float], corruption: str) -> List[float]:
    """Validate a level list for one corruption."""
    if len(levels) == 0:
        raise ValueError('the level list is empty')
    return [check_level(corruption, level) for level in levels]


def with_clean_level(levels: Sequence[float]) -> Tuple[List[float], bool]:
    """The levels with the clean level 0 first if they lack it, and whether
    it was added: the curve summaries (clean accuracy, AUC, relative
    robustness) are taken against it, and are NaN without it."""
    levels = list(levels)
    if any(float(level) == 0 for level in levels):
        return levels, False
    return [0.0] + levels, True


# Seed 001 noises the raw clip: its noise goes in before frame sampling.
_SAMPLERS = ('UniformSampleFrames', 'SampleFrames', 'UniformSample',
             'PoseDecode', 'MotionBERTResample', 'TemporalCropResize')


def default_scale(sample: Optional[Dict]) -> str:
    """The sweep's noise scale for a dataset whose pipeline has none: seed
    001's for 2D keypoints in pixels (a sample with ``img_shape``), the
    body's size for 3D ones (metres have no video size), else 'motion'."""
    if sample is None:
        return 'motion'
    keypoint = sample.get('keypoint')
    if getattr(keypoint, 'ndim', 0) == 4 and keypoint.shape[-1] == 3:
        return 'body'
    if 'img_shape' in sample:
        return 'seed001'
    return 'motion'


def _position(names: List[str], scale: str) -> Optional[int]:
    """Where an inserted noise transform goes: before the first geometric
    transform, and a 'seed001' one also before frame sampling (a GCN
    pipeline normalises before it samples)."""
    stops = _GEOMETRY + _SAMPLERS if scale == 'seed001' else _GEOMETRY
    return next((i for i, n in enumerate(names) if n in stops), None)


def find_or_insert_noise(pipeline,
                         scale: Optional[str] = None,
                         seed: Optional[int] = None,
                         sample: Optional[Dict] = None) -> KeypointNoise:
    """The pipeline's ``KeypointNoise``, or a new one put where it belongs.

    Args:
        pipeline: An mmcv ``Compose`` (a dataset's ``pipeline``).
        scale (str, optional): Overrides the transform's scale; None keeps
            the configured one (for an inserted transform,
            :func:`default_scale` of ``sample``).
        seed (int, optional): Overrides the seed likewise (0 if inserted).
        sample (dict, optional): A data sample of the dataset (before its
            pipeline), to check it has keypoints and choose the scale.

    A ``'seed001'`` transform sits before frame sampling (seed 001 noises the
    raw clip and measures its motion on all frames); one found after it is
    moved there.
    """
    if sample is not None and 'keypoint' not in sample:
        raise ValueError(
            'the noise sweep corrupts keypoints, but the test dataset\'s '
            f'samples have none (fields: {sorted(sample)}); is this an RGB '
            'config? Use tools/background_influence.py for RGB models')
    transforms = pipeline.transforms
    found = [t for t in transforms if isinstance(t, KeypointNoise)]
    if len(found) > 1:
        raise ValueError('the test pipeline has several KeypointNoise '
                         'transforms; the sweep needs exactly one')
    if found:
        noise = found[0]
        if noise.two_views:
            raise ValueError('the test pipeline has KeypointNoise with '
                             'two_views=True; test on one (noisy) view')
        noise.test_mode = True
        if scale is not None:
            noise.scale = scale
        if seed is not None:
            noise.seed = seed
        if noise.scale == 'seed001':
            transforms.remove(noise)
            names = [type(t).__name__ for t in transforms]
            transforms.insert(_position(names, 'seed001') or 0, noise)
        return noise
    scale = scale or default_scale(sample)
    names = [type(t).__name__ for t in transforms]
    position = _position(names, scale)
    if position is None:
        raise ValueError(
            f'cannot place KeypointNoise in the test pipeline {names}: add '
            'it yourself right after PoseDecode (or before PreNormalize*)')
    noise = KeypointNoise(
        scale=scale, seed=0 if seed is None else seed, test_mode=True)
    transforms.insert(position, noise)
    return noise


@LOOPS.register_module()
class NoiseSweepTestLoop(SweepTestLoop):
    """Evaluate the model at each level of one or more keypoint corruptions.

    The test pipeline's ``KeypointNoise`` (inserted before the first geometric
    transform if absent) is set to each corruption and level; every level is
    evaluated on the whole test set, all of them from one read of each
    sample by default (``conditions_per_pass``): what comes before the noise
    runs once, what follows it once per level, each level's batches go
    through the model as a level-by-level pass would give them, and the
    numbers are the same. Every model evaluated with the
    same ``seed`` sees the same corrupted keypoints (the noise of a sample
    depends only on ``(seed, sample, corruption, level)``).

    The clean level 0 is added (first, with a warning in the log) when
    ``levels`` lack it, and evaluated once for all corruptions: without
    noise every corruption gives the same inputs, so the other corruptions'
    level-0 records are copies (``same_as`` names the one evaluated).

    Results are appended to ``out_file`` (JSON lines) as each pass finishes;
    rerun with the same arguments, the loop skips the levels already there.
    The header names the noise settings (scale, seed, ``corrupt_missing``)
    and digests of the noise code; a file of other settings is refused
    (:class:`SweepTestLoop`). Before the first level, the pipeline runs once
    at every level of every corruption on the first sample, so that a
    setting that cannot run (``scale='motion'`` on 3D keypoints) stops the
    sweep before anything is evaluated.
    Metrics also go to the runner's visualizer backends as
    ``noise/<corruption>/<metric>`` with the level's index as the step.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): Test dataloader.
        evaluator (Evaluator | dict | list): Test metrics.
        levels (Sequence[float]): Noise levels (alpha, or a probability for
            dropout families). Defaults to seed 001's nine levels.
        corruptions (str | list[str]): Corruption or group names.
            Defaults to 'gaussian'.
        scale (str, optional): Unit of additive noise: 'seed001', 'motion',
            'video' or 'body'. None keeps the test pipeline's
            ``KeypointNoise`` setting (if the loop inserts it: 'seed001' for
            2D keypoints in pixels, 'body' for 3D ones). Defaults to None.
        seed (int, optional): Noise seed; None likewise (0 if inserted).
            Defaults to None.
        out_file (str, optional): Result file; defaults to
            ``<work_dir>/noise_sweep.jsonl``.
        model_name (str, optional): Name written with the results; defaults
            to the checkpoint's file name.
        fp16 (bool): Test in fp16. Defaults to False.
        overwrite (bool): Replace ``out_file`` instead of resuming from it.
            Defaults to False.
        conditions_per_pass (int, optional): Levels (of all corruptions)
            evaluated per pass over the data; None: all in one pass; 1: one
            level at a time. Defaults to None.
    """
    kind = 'noise sweep'
    unit = 'level'
    record_keys = ('corruption', 'level')
    code_files = ('datasets/transforms/keypoint_noise.py',
                  'datasets/transforms/keypoint_visibility.py',
                  'datasets/transforms/corruptions', 'utils/sample.py')

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 evaluator: Union[Evaluator, Dict, List],
                 levels: Sequence[float] = DEFAULT_LEVELS,
                 corruptions: Union[str, List[str]] = 'gaussian',
                 scale: Optional[str] = None,
                 seed: Optional[int] = None,
                 out_file: Optional[str] = None,
                 model_name: Optional[str] = None,
                 fp16: bool = False,
                 overwrite: bool = False,
                 conditions_per_pass: Optional[int] = None) -> None:
        out_file = out_file or osp.join(runner.work_dir, 'noise_sweep.jsonl')
        super().__init__(runner, dataloader, evaluator, out_file, model_name,
                         fp16, overwrite, conditions_per_pass)
        self.corruptions = expand_corruptions(corruptions)
        for corruption in self.corruptions:
            check_levels(levels, corruption)
        levels, added = with_clean_level(levels)
        if added:
            print_log(
                f'the levels {list(levels[1:])} lack the clean level 0: it '
                'was added (clean accuracy, AUC and relative robustness are '
                'taken against it)',
                logger='current',
                level=logging.WARNING)
        self.levels = {c: check_levels(levels, c) for c in self.corruptions}
        dataset = self.dataloader.dataset
        if len(dataset) == 0:
            raise ValueError('the noise sweep\'s test dataset is empty')
        self.noise = find_or_insert_noise(dataset.pipeline, scale, seed,
                                          dataset.get_data_info(0))
        self.scale, self.seed = self.noise.scale, self.noise.seed

    def conditions(self) -> List[Dict]:
        return [
            dict(corruption=c, level=level) for c in self.corruptions
            for level in self.levels[c]
        ]

    def apply(self, condition: Dict) -> None:
        self.noise.set_corruption(condition['corruption'], condition['level'])

    def condition_pipeline(self, condition: Dict) -> List:
        # A KeypointNoise of the level's own; the transforms before it run
        # once per pass.
        noise = copy.copy(self.noise)
        noise.set_corruption(condition['corruption'], condition['level'])
        return [
            noise if t is self.noise else t
            for t in self.dataloader.dataset.pipeline.transforms
        ]

    def settings(self) -> Dict:
        return dict(
            scale=self.scale,
            seed=self.seed,
            corrupt_missing=self.noise.corrupt_missing)

    def equivalent(self, condition: Dict) -> Hashable:
        # Level 0 adds no noise, whatever the corruption.
        if condition['level'] == 0:
            return ('clean', )
        return (condition['corruption'], condition['level'])

    def report_name(self, condition: Dict) -> str:
        if condition['level'] == 0:
            return 'clean'
        return f'{condition["corruption"]}_{condition["level"]:g}'

    def describe(self, condition: Dict) -> str:
        return f'{condition["corruption"]} @ {condition["level"]}'

    def log_scalars(self, condition: Dict, metrics: Dict) -> None:
        corruption = condition['corruption']
        self.runner.visualizer.add_scalars(
            {
                f'noise/{corruption}/{k}': v
                for k, v in metrics.items()
            },
            step=self.levels[corruption].index(condition['level']))
