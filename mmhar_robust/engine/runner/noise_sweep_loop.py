"""A test loop that evaluates a model at every level of keypoint corruption."""
import hashlib
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Union

from mmengine.evaluator import Evaluator
from mmengine.logging import print_log
from mmengine.runner import TestLoop
from torch.utils.data import DataLoader

from ...datasets.transforms import (KeypointNoise, check_level,
                                    expand_corruptions)
from ...registry import LOOPS
from ...utils.checkpoint_match import check_checkpoint_matches

DEFAULT_LEVELS = (0, 0.001, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1)
# The noise goes in before the first of these: keypoints must still be in the
# original video's pixels (or metres) when it is added.
_GEOMETRY = ('PreNormalize2D', 'PreNormalize3D', 'GenSkeFeat', 'PoseCompact',
             'Resize', 'RandomResizedCrop', 'CenterCrop', 'Flip',
             'GeneratePoseTarget', 'FormatGCNInput', 'ForEachView')


def file_digest(path: str) -> str:
    """SHA-256 of a file (identifies a checkpoint in sweep results)."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def check_levels(levels: Sequence[float], corruption: str) -> List[float]:
    """Validate a level list for one corruption."""
    if len(levels) == 0:
        raise ValueError('the level list is empty')
    return [check_level(corruption, level) for level in levels]


def find_or_insert_noise(pipeline,
                         scale: Optional[str] = None,
                         seed: Optional[int] = None) -> KeypointNoise:
    """The pipeline's ``KeypointNoise``, or a new one put where it belongs.

    Args:
        pipeline: An mmcv ``Compose`` (a dataset's ``pipeline``).
        scale (str, optional): Overrides the transform's scale; None keeps
            the configured one ('motion' for an inserted transform).
        seed (int, optional): Overrides the seed likewise (0 if inserted).
    """
    transforms = pipeline.transforms
    found = [t for t in transforms if isinstance(t, KeypointNoise)]
    if len(found) > 1:
        raise ValueError('the test pipeline has several KeypointNoise '
                         'transforms; the sweep needs exactly one')
    if found:
        if found[0].two_views:
            raise ValueError('the test pipeline has KeypointNoise with '
                             'two_views=True; test on one (noisy) view')
        noise = found[0]
        noise.test_mode = True
        if scale is not None:
            noise.scale = scale
        if seed is not None:
            noise.seed = seed
        return noise
    names = [type(t).__name__ for t in transforms]
    position = next((i for i, n in enumerate(names) if n in _GEOMETRY), None)
    if position is None:
        raise ValueError(
            f'cannot place KeypointNoise in the test pipeline {names}: add '
            'it yourself right after PoseDecode (or before PreNormalize*)')
    noise = KeypointNoise(
        scale=scale or 'motion',
        seed=0 if seed is None else seed,
        test_mode=True)
    transforms.insert(position, noise)
    return noise


class SweepRecords:
    """The JSON-lines file of one model's sweep: a header, then one record
    per (corruption, level). Appended as results come, so a crashed sweep
    resumes from what it wrote.

    Args:
        path (str): The ``.jsonl`` file.
        header (dict): Identifies the model (name, checkpoint digest) and the
            noise settings; a file with another header is refused.
    """

    def __init__(self, path: str, header: Dict) -> None:
        self.path, self.header = path, header
        self.records: Dict[tuple, Dict] = {}
        if osp.isfile(path):
            self._load()
        else:
            os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
            with open(path, 'w', encoding='utf-8') as f:
                f.write(json.dumps(dict(header=header)) + '\n')

    def _load(self) -> None:
        with open(self.path, encoding='utf-8') as f:
            lines = [line for line in f if line.strip()]
        try:
            rows = [json.loads(line) for line in lines]
        except json.JSONDecodeError:
            # A crash mid-write leaves a partial last line: drop it only.
            rows = [json.loads(line) for line in lines[:-1]]
        if not rows or 'header' not in rows[0]:
            raise ValueError(f'{self.path} is not a noise-sweep result file')
        old = rows[0]['header']
        for key in ('model', 'checkpoint_sha256', 'scale', 'seed'):
            if old.get(key) != self.header.get(key):
                raise ValueError(
                    f'{self.path} holds results of another run ({key}: '
                    f'{old.get(key)!r}, now {self.header.get(key)!r}); '
                    'choose another output folder or model name, nothing '
                    'was overwritten')
        for row in rows[1:]:
            self.records[(row['corruption'], row['level'])] = row
        with open(self.path, 'w', encoding='utf-8') as f:  # drop torn lines
            for row in rows:
                f.write(json.dumps(row) + '\n')

    def done(self, corruption: str, level: float) -> Optional[Dict]:
        return self.records.get((corruption, level))

    def add(self, record: Dict) -> None:
        self.records[(record['corruption'], record['level'])] = record
        with open(self.path, 'a', encoding='utf-8') as f:
            f.write(json.dumps(record) + '\n')
            f.flush()
            os.fsync(f.fileno())


@LOOPS.register_module()
class NoiseSweepTestLoop(TestLoop):
    """Evaluate the model at each level of one or more keypoint corruptions.

    The test pipeline's ``KeypointNoise`` (inserted before the first geometric
    transform if absent) is set to each corruption and level in turn; every
    level is a full pass over the test set. Every model evaluated with the
    same ``seed`` sees the same corrupted keypoints (the noise of a sample
    depends only on ``(seed, sample, corruption, level)``).

    Results are appended to ``out_file`` (JSON lines) as each level finishes;
    rerun with the same arguments, the loop skips the levels already there.
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
        scale (str, optional): Unit of additive noise: 'motion', 'video' or
            'body'. None keeps the test pipeline's ``KeypointNoise`` setting
            ('motion' if the loop inserts it). Defaults to None.
        seed (int, optional): Noise seed; None likewise (0 if inserted).
            Defaults to None.
        out_file (str, optional): Result file; defaults to
            ``<work_dir>/noise_sweep.jsonl``.
        model_name (str, optional): Name written with the results; defaults
            to the checkpoint's file name.
        fp16 (bool): Test in fp16. Defaults to False.
    """

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
                 fp16: bool = False) -> None:
        super().__init__(runner, dataloader, evaluator, fp16)
        self.corruptions = expand_corruptions(corruptions)
        self.levels = {c: check_levels(levels, c) for c in self.corruptions}
        self.noise = find_or_insert_noise(self.dataloader.dataset.pipeline,
                                          scale, seed)
        self.scale, self.seed = self.noise.scale, self.noise.seed
        self.out_file = out_file or osp.join(runner.work_dir,
                                             'noise_sweep.jsonl')
        self.model_name = model_name

    def _loader(self) -> DataLoader:
        """A fresh loader per level: workers must copy the new noise level
        (persistent workers would keep the old one)."""
        old = self.dataloader
        return DataLoader(
            old.dataset,
            batch_size=old.batch_size,
            sampler=old.sampler,
            num_workers=old.num_workers,
            collate_fn=old.collate_fn,
            pin_memory=old.pin_memory,
            worker_init_fn=old.worker_init_fn)

    def _header(self) -> Dict:
        checkpoint = self.runner.cfg.get('load_from')
        if not checkpoint or not osp.isfile(checkpoint):
            raise ValueError('the noise sweep needs a checkpoint (load_from)')
        return dict(
            model=self.model_name or osp.basename(checkpoint),
            checkpoint=osp.abspath(checkpoint),
            checkpoint_sha256=file_digest(checkpoint),
            scale=self.scale,
            seed=self.seed)

    def _evaluate(self) -> Dict[str, float]:
        self.runner.model.eval()
        for idx, data_batch in enumerate(self._loader()):
            self.run_iter(idx, data_batch)
        return self.evaluator.evaluate(len(self.dataloader.dataset))

    def run(self) -> Dict[str, float]:
        """Evaluate every (corruption, level); return them all as metrics
        named ``<corruption>@<level>/<metric>``."""
        from tqdm import tqdm
        header = self._header()
        check_checkpoint_matches(self.runner.model, header['checkpoint'])
        records = SweepRecords(self.out_file, header)
        self.runner.call_hook('before_test')
        all_metrics: Dict[str, float] = {}
        todo = [(c, level) for c in self.corruptions
                for level in self.levels[c]]
        bar = tqdm(
            todo,
            desc=f'noise sweep {records.header["model"]}',
            unit='level',
            disable=self.runner.rank != 0)
        for corruption, level in bar:
            bar.set_postfix_str(f'{corruption} {level}')
            record = records.done(corruption, level)
            if record is None:
                self.noise.set_corruption(corruption, level)
                self.runner.call_hook('before_test_epoch')
                metrics = self._evaluate()
                self.runner.call_hook('after_test_epoch', metrics=metrics)
                record = dict(
                    model=records.header['model'],
                    corruption=corruption,
                    level=level,
                    metrics=metrics)
                if self.runner.rank == 0:
                    records.add(record)
                print_log(
                    f'{corruption} @ {level}: ' +
                    ', '.join(f'{k} {v:.4f}' for k, v in metrics.items()),
                    logger='current')
            step = self.levels[corruption].index(level)
            self.runner.visualizer.add_scalars(
                {
                    f'noise/{corruption}/{k}': v
                    for k, v in record['metrics'].items()
                },
                step=step)
            for key, value in record['metrics'].items():
                all_metrics[f'{corruption}@{level}/{key}'] = value
        self.runner.call_hook('after_test')
        return all_metrics
