"""BackgroundSweepTestLoop: where it strips, what it refuses, and that a
model that sees only the background keeps its accuracy with the background
kept ('none' = a plain test run) and loses it when the background goes."""
import hashlib
import json
import os.path as osp
import pickle
import shutil

import cv2
import numpy as np
import pytest
import torch

import mmhar_robust  # noqa: F401  (patches before mmaction imports)
from mmcv.transforms import Compose
from mmengine.config import Config
from mmengine.model import BaseModule
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from mmhar_robust.datasets.transforms.background import StripBackground
from mmhar_robust.engine.runner.background_sweep_loop import (
    BACKGROUND_FILLS, BackgroundSweepTestLoop, check_fills, strip_position)
from mmhar_robust.registry import MODELS, TRANSFORMS

from conftest import ROOT

CONFIG = osp.join(
    ROOT, 'configs', 'recognition', 'c3d',
    'tiny-c3d_1xb8-u16-20e_synthetic-video-biased-rgb.py')
NUM_CLASSES = 13
# The data preprocessor's normalisation (configs/_base_/models/...rgb.py).
MEAN, STD = 127.5, 64.0


class MeanColourBackbone(BaseModule):
    """A model that sees nothing but colour: each class scores by how close
    the clip's mean colour is to that class's background colour
    (``prototypes``, from the training clips' background plates). On the
    biased set the background gives the class away, so it is right with the
    background and lost without it.

    Args:
        num_classes (int): Classes. Defaults to 13.
    """

    def __init__(self, num_classes: int = NUM_CLASSES) -> None:
        super().__init__()
        self.register_buffer('prototypes', torch.zeros(num_classes, 3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        colour = x.mean(dim=(2, 3, 4))  # (N, 3) normalised RGB
        logits = -100 * torch.cdist(colour, self.prototypes)**2
        return logits[:, :, None, None, None]


@pytest.fixture(scope='module', autouse=True)
def mean_colour_backbone():
    """MeanColourBackbone in mmaction2's MODELS for this module's tests
    only."""
    MODELS.register_module(module=MeanColourBackbone)
    yield
    MODELS.module_dict.pop('MeanColourBackbone', None)


def _pipeline(*transforms):
    init_default_scope('mmaction')
    return Compose([TRANSFORMS.build(t) for t in transforms])


def _names(pipeline):
    return [type(t).__name__ for t in pipeline.transforms]


VIDEO = (dict(type='DecordInit'),
         dict(type='SampleFrames', clip_len=4, num_clips=1, test_mode=True),
         dict(type='DecordDecode'), dict(type='Resize', scale=(-1, 32)),
         dict(type='FormatShape',
              input_format='NCTHW'), dict(type='PackActionInputs'))


def test_strip_goes_right_after_the_decoder_pose_shape_before_init():
    video = _pipeline(*VIDEO)
    position = strip_position(video)
    assert _names(video)[:4] == [
        'RecordPoseShape', 'DecordInit', 'SampleFrames', 'DecordDecode'
    ]
    assert _names(video)[position - 1] == 'DecordDecode'
    assert _names(video)[position] == 'Resize'
    # Already there: not added twice.
    assert strip_position(video) == position
    assert _names(video).count('RecordPoseShape') == 1
    frames = _pipeline(
        dict(type='SampleFrames', clip_len=4, num_clips=1),
        dict(type='RawFrameDecode'), dict(type='Resize', scale=(-1, 32)))
    position = strip_position(frames)
    assert _names(frames) == [
        'SampleFrames', 'RecordPoseShape', 'RawFrameDecode', 'Resize'
    ]
    assert position == 3
    plain = _pipeline(*VIDEO)
    assert strip_position(plain, record_pose_shape=False) == 3
    assert 'RecordPoseShape' not in _names(plain)


def test_a_strip_already_in_the_pipeline_is_taken_over():
    video = _pipeline(*VIDEO[:4], dict(type='StripBackground'), *VIDEO[4:])
    position = strip_position(video, record_pose_shape=False)
    assert 'StripBackground' not in _names(video)
    assert _names(video)[position - 1] == 'DecordDecode'


def test_pipelines_it_cannot_strip_are_refused():
    no_decoder = r"\['PoseDecode'\] has no frame decoder"
    with pytest.raises(ValueError, match=no_decoder):
        strip_position(_pipeline(dict(type='PoseDecode')))
    with pytest.raises(ValueError, match='several StripBackground'):
        strip_position(Compose([StripBackground(), StripBackground()]))
    late = _pipeline(VIDEO[0], VIDEO[2], dict(type='RecordPoseShape'))
    with pytest.raises(ValueError, match='RecordPoseShape after the decoder'):
        strip_position(late)


def test_fill_lists_are_checked():
    assert check_fills('black') == ['black']
    assert check_fills(BACKGROUND_FILLS) == list(BACKGROUND_FILLS)
    with pytest.raises(ValueError) as error:
        check_fills(['none', 'pink'])
    assert "'pink'" in str(error.value)
    assert 'none, black, mean, blur, noise, swap' in str(error.value)
    with pytest.raises(ValueError, match='empty'):
        check_fills([])
    with pytest.raises(ValueError, match='repeat'):
        check_fills(['black', 'black'])


@pytest.fixture(scope='module')
def biased(tmp_path_factory):
    """The biased synthetic videos, 3 subjects x 13 classes: 26 train, 13
    test clips (plus the background plates)."""
    from mmhar_robust.synthetic.video import (SyntheticVideoConfig,
                                              SyntheticVideoGenerator)
    root = str(tmp_path_factory.mktemp('video') / 'biased')
    SyntheticVideoGenerator(
        SyntheticVideoConfig(variant='biased', num_subjects=3,
                             repeats=1)).dump(root)
    return root


def _mean_colour(path):
    cap = cv2.VideoCapture(path)
    total, count = np.zeros(3), 0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        total += frame.reshape(-1, 3).mean(0)[::-1]  # BGR -> RGB
        count += 1
    cap.release()
    return (total / count - MEAN) / STD


def _save_model(path, prototypes):
    init_default_scope('mmaction')
    cfg = _config()
    model = MODELS.build(cfg.model)
    model.backbone.prototypes.copy_(torch.as_tensor(prototypes))
    torch.nn.init.eye_(model.cls_head.fc_cls.weight)
    torch.nn.init.zeros_(model.cls_head.fc_cls.bias)
    torch.save(dict(state_dict=model.state_dict(), meta={}), path)
    return str(path)


@pytest.fixture(scope='module')
def checkpoints(biased, tmp_path_factory):
    """The background-colour model, and one whose classes are shifted by
    one (another model: other predictions on the same inputs)."""
    with open(osp.join(biased, 'annotations.pkl'), 'rb') as f:
        data = pickle.load(f)
    train = set(data['split']['xsub_train'])
    colours = [[] for _ in range(NUM_CLASSES)]
    for ann in data['annotations']:
        if ann['filename'] in train:
            colours[ann['label']].append(
                _mean_colour(osp.join(biased, ann['plate'])))
    prototypes = np.stack([np.mean(c, axis=0) for c in colours])
    folder = tmp_path_factory.mktemp('checkpoints')
    return (_save_model(folder / 'colour.pth', prototypes),
            _save_model(folder / 'shifted.pth', np.roll(prototypes, 1, 0)))


def _config(root=None, ann_file=None):
    cfg = Config.fromfile(CONFIG)
    cfg.model.backbone = dict(
        type='MeanColourBackbone', num_classes=NUM_CLASSES)
    cfg.model.cls_head.update(in_channels=NUM_CLASSES, dropout_ratio=0.0)
    if root is not None:
        loader = cfg.test_dataloader
        loader.update(batch_size=8, num_workers=0, persistent_workers=False)
        loader.dataset.update(
            ann_file=ann_file or osp.join(root, 'annotations.pkl'),
            data_prefix=dict(video=root))
    return cfg


def _runner(work_dir, root, checkpoint, ann_file=None, **sweep):
    cfg = _config(root, ann_file)
    if sweep:
        sweep.setdefault('model_name', 'colour')
        cfg.test_cfg = dict(type='BackgroundSweepTestLoop', **sweep)
    cfg.load_from = checkpoint
    cfg.work_dir = str(work_dir)
    # One logger and visualizer per runner (MMEngine shares them by name).
    cfg.experiment_name = hashlib.sha1(str(work_dir).encode()).hexdigest()
    return Runner.from_cfg(cfg)


def _records(path):
    with open(path) as f:
        rows = [json.loads(line) for line in f]
    return rows[0]['header'], {r['fill']: r['metrics'] for r in rows[1:]}


@pytest.fixture(scope='module')
def swept(biased, checkpoints, tmp_path_factory):
    """Every fill, for the background-colour model."""
    work_dir = tmp_path_factory.mktemp('swept')
    out_file = str(work_dir / 'colour.jsonl')
    metrics = _runner(
        work_dir, biased, checkpoints[0], out_file=out_file).test()
    return out_file, metrics, str(work_dir)


def test_a_background_only_model_loses_its_accuracy_without_background(
        swept, biased):
    out_file, metrics, _ = swept
    header, records = _records(out_file)
    assert list(records) == list(BACKGROUND_FILLS)
    top1 = {fill: records[fill]['acc/top1'] for fill in records}
    assert top1['none'] >= 0.8, top1
    # The colour that gave the class away is gone ...
    for fill in ('black', 'noise', 'swap'):
        assert top1[fill] <= 0.35 and top1[fill] <= top1['none'] - 0.5, top1
    # ... except with 'mean', which paints the background in its mean.
    assert top1['mean'] >= 0.8, top1
    assert metrics['black/acc/top1'] == top1['black']
    # Swapped backgrounds came from the plates next to the videos.
    assert header['swap_source'] == [osp.abspath(osp.join(biased, 'plates'))]
    assert (header['mask'], header['seed']) == ('box', 0)


def test_fills_go_to_the_visualizer_by_index(swept):
    import glob
    _, _, work_dir = swept
    path = glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))[0]
    steps = [
        json.loads(line)['step'] for line in open(path)
        if 'background/acc/top1' in line
    ]
    assert steps == list(range(len(BACKGROUND_FILLS)))


def test_each_fill_keeps_its_class_report(swept):
    import glob
    _, _, work_dir = swept
    reports = glob.glob(osp.join(work_dir, '*', 'class_report*.csv'))
    assert sorted(osp.basename(p) for p in reports) == sorted(
        f'class_report_{fill}{end}' for fill in BACKGROUND_FILLS
        for end in ('.csv', '_confusion.csv'))


def test_none_equals_a_plain_test_run(biased, checkpoints, swept, tmp_path):
    out_file, _, _ = swept
    plain = _runner(tmp_path / 'plain', biased, checkpoints[0]).test()
    _, records = _records(out_file)
    assert plain['acc/top1'] >= 0.8
    assert records['none'] == plain


def _input_digests(work_dir, root, checkpoint, **sweep):
    runner = _runner(work_dir, root, checkpoint, **sweep)
    digests = []

    def keep(module, inputs, output):
        data = inputs[0].detach().numpy().tobytes()
        digests.append(hashlib.sha1(data).hexdigest())

    handle = runner.model.backbone.register_forward_hook(keep)
    try:
        metrics = runner.test()
    finally:
        handle.remove()
    return digests, metrics


def test_two_models_see_identical_stripped_inputs(biased, checkpoints,
                                                  tmp_path):
    fills = ['none', 'noise', 'swap']
    a, metrics_a = _input_digests(
        tmp_path / 'a', biased, checkpoints[0], fills=fills, model_name='a')
    b, metrics_b = _input_digests(
        tmp_path / 'b', biased, checkpoints[1], fills=fills, model_name='b')
    assert a == b
    assert metrics_a['none/acc/top1'] != metrics_b['none/acc/top1']
    batches = len(a) // len(fills)  # none, noise and swap inputs all differ
    assert len(set(a[::batches])) == len(fills)
    other_seed, _ = _input_digests(
        tmp_path / 'c',
        biased,
        checkpoints[0],
        fills=['noise'],
        seed=1,
        model_name='c')
    assert other_seed != a[batches:2 * batches]


def test_a_crashed_sweep_resumes_with_only_the_missing_fills(
        biased, checkpoints, swept, tmp_path, monkeypatch):
    full_file, _, _ = swept
    lines = open(full_file).read().splitlines()
    out_file = str(tmp_path / 'colour.jsonl')
    # Crashed after 'none' (line 1), in the middle of writing 'black'.
    with open(out_file, 'w') as f:
        f.write('\n'.join(lines[:2]) + '\n' + lines[2][:30])
    applied, passes = [], []
    apply = BackgroundSweepTestLoop.apply
    evaluate = BackgroundSweepTestLoop._evaluate

    def spy(self, condition):
        applied.append(condition['fill'])
        apply(self, condition)

    def spy_pass(self, conditions, digest):
        passes.append([c['fill'] for c in conditions])
        return evaluate(self, conditions, digest)

    monkeypatch.setattr(BackgroundSweepTestLoop, 'apply', spy)
    monkeypatch.setattr(BackgroundSweepTestLoop, '_evaluate', spy_pass)
    fills = ['none', 'black', 'swap']
    _runner(
        tmp_path / 'run1',
        biased,
        checkpoints[0],
        fills=fills,
        out_file=out_file).test()
    # Tried on the first sample, then evaluated in one pass.
    assert applied == ['black', 'swap']
    assert passes == [['black', 'swap']]
    _, resumed = _records(out_file)
    _, full = _records(full_file)
    assert resumed == {fill: full[fill] for fill in fills}
    before = open(out_file).read()
    applied.clear()
    _runner(
        tmp_path / 'run2',
        biased,
        checkpoints[0],
        fills=fills,
        out_file=out_file).test()
    assert applied == [] and open(out_file).read() == before
    # Other settings: refused, and nothing overwritten.
    with pytest.raises(ValueError,
                       match="another run(.|\n)*  - mask: 'box' -> "
                       "'silhouette'"):
        _runner(
            tmp_path / 'run3',
            biased,
            checkpoints[0],
            fills=fills,
            mask='silhouette',
            out_file=out_file).test()
    assert open(out_file).read() == before


def test_swap_without_a_source_needs_plates(biased, checkpoints, tmp_path):
    with open(osp.join(biased, 'annotations.pkl'), 'rb') as f:
        data = pickle.load(f)
    for ann in data['annotations']:
        del ann['plate']
    ann_file = str(tmp_path / 'no_plates.pkl')
    with open(ann_file, 'wb') as f:
        pickle.dump(data, f)
    runner = _runner(
        tmp_path / 'w',
        biased,
        checkpoints[0],
        ann_file=ann_file,
        fills=['none', 'swap'])
    with pytest.raises(ValueError, match="fill 'swap' needs swap_source"):
        runner.test()
    # A folder of backgrounds given explicitly serves instead.
    plates = str(tmp_path / 'backgrounds')
    shutil.copytree(osp.join(biased, 'plates'), plates)
    metrics = _runner(
        tmp_path / 'w2',
        biased,
        checkpoints[0],
        ann_file=ann_file,
        fills=['swap'],
        swap_source=plates).test()
    assert metrics['swap/acc/top1'] <= 0.35
