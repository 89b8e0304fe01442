"""A test loop that evaluates an RGB model with the background kept and
stripped with each fill (seed 004: stripping the background hurts RGB
models)."""
import os.path as osp
from typing import Dict, List, Optional, Sequence, Union

from mmengine.evaluator import Evaluator
from torch.utils.data import DataLoader

from ...datasets.transforms.background import (FILL_MODES, RecordPoseShape,
                                               StripBackground, plate_sources)
from ...registry import LOOPS
from .sweep_loop import SweepTestLoop

# 'none' keeps the background: the plain test pipeline.
BACKGROUND_FILLS = ('none', ) + FILL_MODES
DECODERS = ('DecordDecode', 'OpenCVDecode', 'PyAVDecode', 'RawFrameDecode')
INITS = ('DecordInit', 'OpenCVInit', 'PyAVInit', 'PIMSInit')


def check_fills(fills: Union[str, Sequence[str]]) -> List[str]:
    """Validate a list of fills (``'none'`` or a ``StripBackground`` fill).

    Raises:
        ValueError: The list is empty, repeats a fill or names an unknown
            one (the message lists the valid fills).
    """
    fills = [fills] if isinstance(fills, str) else list(fills)
    if not fills:
        raise ValueError('the fill list is empty; valid fills: '
                         f'{", ".join(BACKGROUND_FILLS)}')
    unknown = [f for f in fills if f not in BACKGROUND_FILLS]
    if unknown:
        raise ValueError(f'unknown fill {unknown[0]!r}; valid fills: '
                         f'{", ".join(BACKGROUND_FILLS)}')
    if len(set(fills)) != len(fills):
        raise ValueError(f'fills repeat: {fills}')
    return fills


def strip_position(pipeline, record_pose_shape: bool = True) -> int:
    """Prepare a test pipeline for the sweep; return where ``StripBackground``
    goes: right after the decoder.

    A ``StripBackground`` already in the pipeline is removed (the loop puts
    its own in). ``RecordPoseShape`` is put before the video's init transform
    (or before the decoder when there is none) unless it is already there.

    Args:
        pipeline: An mmcv ``Compose`` (a dataset's ``pipeline``); changed in
            place.
        record_pose_shape (bool): Make sure ``RecordPoseShape`` runs before
            the decoder. Defaults to True.

    Raises:
        ValueError: No decoder, several ``StripBackground`` transforms, or a
            ``RecordPoseShape`` after the decoder.
    """
    transforms = pipeline.transforms
    strips = [t for t in transforms if isinstance(t, StripBackground)]
    if len(strips) > 1:
        raise ValueError(
            f'the test pipeline {[type(t).__name__ for t in transforms]} has '
            'several StripBackground transforms; the sweep sets one')
    if strips:
        transforms.remove(strips[0])
    names = [type(t).__name__ for t in transforms]
    decoder = next((i for i, n in enumerate(names) if n in DECODERS), None)
    if decoder is None:
        raise ValueError(
            f'the test pipeline {names} has no frame decoder '
            f'({", ".join(DECODERS)}): StripBackground must go right after '
            'it, on the decoded frames')
    shapes = [i for i, n in enumerate(names) if n == 'RecordPoseShape']
    if any(i > decoder for i in shapes):
        raise ValueError(f'the test pipeline {names} has RecordPoseShape '
                         'after the decoder, which has overwritten img_shape '
                         'by then; move it before the decoder')
    if record_pose_shape and not shapes:
        inits = [i for i, n in enumerate(names[:decoder]) if n in INITS]
        transforms.insert(inits[-1] if inits else decoder, RecordPoseShape())
        decoder += 1
    return decoder + 1


def _plate_folders(dataset) -> Optional[List[str]]:
    """Folders holding the test set's ``plate`` videos (the synthetic set's
    backgrounds without the person), or None if it names none; a sample
    without its plate while others have one is an error naming it."""
    return plate_sources(
        (dataset.get_data_info(i) for i in range(len(dataset))),
        getattr(dataset, 'data_prefix', {}).get('video', ''),
        getattr(dataset, 'ann_file', ''))


@LOOPS.register_module()
class BackgroundSweepTestLoop(SweepTestLoop):
    """Evaluate the model with the background kept and stripped each way.

    For each fill the test pipeline gets a :class:`StripBackground` with that
    fill right after its decoder (``'none'``: no stripping, the plain test
    pipeline), with ``RecordPoseShape`` before the init transform when the
    annotations carry ``img_shape``; every fill is evaluated on the whole
    test set, all fills from one decoding of each video (see
    ``conditions_per_pass``). Noise and swapped backgrounds depend only on ``(seed, sample)``, so
    every model evaluated with the same ``seed`` sees the same stripped
    inputs.

    Results are appended to ``out_file`` (JSON lines) as each pass finishes;
    rerun with the same arguments, the loop skips the fills already there. A
    file written for another checkpoint, other settings, other test data or
    other stripping code is refused (:class:`SweepTestLoop`). Every fill is
    tried on the first sample before the first is evaluated, and each
    fill's class report (with ``ClassReportMetric``) goes to
    ``class_report_<fill>.*``.
    Metrics also go to the visualizer backends as ``background/<metric>``,
    with the fill's index in :data:`BACKGROUND_FILLS` as the step.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): Test dataloader; its dataset must
            hold pose annotations naming the videos (``PoseDataset``).
        evaluator (Evaluator | dict | list): Test metrics.
        fills (Sequence[str]): ``'none'`` and/or ``StripBackground`` fills.
            Defaults to all of :data:`BACKGROUND_FILLS`.
        mask (str): ``'box'`` or ``'silhouette'``. Defaults to 'box'.
        margin (float): Box enlargement (fraction of the box's longer side).
            Defaults to 0.1.
        limb_width (float, optional): Silhouette limb width in pixels.
            Defaults to None (scaled with each person).
        score_thr (float): Joints scored at or below it are ignored.
            Defaults to 0.0.
        blur_kernel (int, optional): Kernel of ``'blur'``. Defaults to None
            (a sixth of the frame's longer side).
        noise (str): ``'uniform'`` or ``'gaussian'`` for ``'noise'``.
            Defaults to 'uniform'.
        swap_source (str | Sequence[str], optional): Videos/images (or
            folders) for ``'swap'``. Defaults to None: the folders of the
            annotations' ``plate`` videos (the synthetic set's ``plates/``).
        seed (int): Seed of the noise and of the swap choice. Defaults to 0.
        out_file (str, optional): Result file; defaults to
            ``<work_dir>/background_influence.jsonl``.
        model_name (str, optional): Name written with the results; defaults
            to the checkpoint's file name.
        fp16 (bool): Test in fp16. Defaults to False.
        overwrite (bool): Replace ``out_file`` instead of resuming from it.
            Defaults to False.
        conditions_per_pass (int, optional): Fills evaluated per pass over
            the data (decoded frames are copied once per fill); None: all.
            Defaults to None.
    """
    kind = 'background sweep'
    unit = 'fill'
    record_keys = ('fill', )
    code_files = ('datasets/transforms/background', 'utils/sample.py')

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 evaluator: Union[Evaluator, Dict, List],
                 fills: Sequence[str] = BACKGROUND_FILLS,
                 mask: str = 'box',
                 margin: float = 0.1,
                 limb_width: Optional[float] = None,
                 score_thr: float = 0.0,
                 blur_kernel: Optional[int] = None,
                 noise: str = 'uniform',
                 swap_source: Optional[Union[str, Sequence[str]]] = None,
                 seed: int = 0,
                 out_file: Optional[str] = None,
                 model_name: Optional[str] = None,
                 fp16: bool = False,
                 overwrite: bool = False,
                 conditions_per_pass: Optional[int] = None) -> None:
        self.fills = check_fills(fills)
        out_file = out_file or osp.join(runner.work_dir,
                                        'background_influence.jsonl')
        super().__init__(runner, dataloader, evaluator, out_file, model_name,
                         fp16, overwrite, conditions_per_pass)
        dataset = self.dataloader.dataset
        if len(dataset) == 0:
            raise ValueError('the test set is empty')
        first = dataset.get_data_info(0)
        if 'keypoint' not in first:
            raise ValueError(
                f'the test annotations {getattr(dataset, "ann_file", "")!r} '
                'have no keypoint (first sample: '
                f'{first.get("filename", first.get("frame_dir"))!r}); '
                'StripBackground finds the person from the pose, so the '
                'test set must be a PoseDataset whose annotations also name '
                'the video (filename)')
        if swap_source is None:
            swap_source = _plate_folders(dataset)
            if swap_source is None and 'swap' in self.fills:
                raise ValueError(
                    "fill 'swap' needs swap_source: the test annotations "
                    "have no 'plate' field to take backgrounds from; give "
                    'videos/images without people (files or folders)')
        elif not isinstance(swap_source, str):
            swap_source = list(swap_source)
        self.options = dict(
            mask=mask,
            margin=margin,
            limb_width=limb_width,
            score_thr=score_thr,
            blur_kernel=blur_kernel,
            noise=noise,
            swap_source=swap_source,
            seed=seed)
        # Built now, so bad settings or a missing swap source fail before
        # anything is evaluated.
        self.strips = {}
        for fill in self.fills:
            if fill != 'none':
                options = dict(self.options, fill=fill)
                if fill != 'swap':
                    options['swap_source'] = None
                self.strips[fill] = StripBackground(**options)
        pipeline = dataset.pipeline
        position = strip_position(pipeline, 'img_shape' in first)
        self._pipeline = pipeline
        self._before = pipeline.transforms[:position]
        self._after = pipeline.transforms[position:]

    def conditions(self) -> List[Dict]:
        return [dict(fill=fill) for fill in self.fills]

    def condition_pipeline(self, condition: Dict) -> List:
        # Each fill has its own StripBackground: a pass decodes every video
        # once for all fills.
        strip = self.strips.get(condition['fill'])
        return self._before + ([] if strip is None else [strip]) + self._after

    def apply(self, condition: Dict) -> None:
        self._pipeline.transforms = self.condition_pipeline(condition)

    def settings(self) -> Dict:
        return dict(self.options)

    def describe(self, condition: Dict) -> str:
        return f'background {condition["fill"]}'

    def metric_prefix(self, condition: Dict) -> str:
        return condition['fill']

    def log_scalars(self, condition: Dict, metrics: Dict) -> None:
        self.runner.visualizer.add_scalars(
            {
                f'background/{k}': v
                for k, v in metrics.items()
            },
            step=BACKGROUND_FILLS.index(condition['fill']))
