"""NoiseSweepTestLoop on the synthetic skeleton set (random weights): each
level keeps its class report and the clean one is shared by the
corruptions; a rerun refuses results of another annotation file, pipeline,
clip count, model config or noise setting (and recomputes them with
overwrite=True); a scale that cannot run on the data stops the sweep before
any level is evaluated."""
import hashlib
import os.path as osp
import pickle
from unittest import mock

import pytest
import torch

import mmhar_robust  # noqa: F401  (compat fixes and registration first)
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from mmhar_robust.engine.runner import NoiseSweepTestLoop
from mmhar_robust.engine.runner.noise_sweep_loop import with_clean_level
from mmhar_robust.engine.runner.sweep_records import read_sweep_file
from mmhar_robust.registry import MODELS

from conftest import ROOT

CONFIG = osp.join(
    ROOT, 'configs', 'skeleton', 'posec3d',
    'slowonly_r50-tiny_skeleton_1xb8-u16-12e_synthetic-xsub-keypoint.py')
BABEL_CONFIG = osp.join(ROOT, 'configs', 'skeleton', 'stgcnpp',
                        'stgcnpp_8xb16-joint-u150-80e_babel60-keypoint-3d.py')


def _config(config, ann_file, **options):
    cfg = Config.fromfile(config)
    cfg.test_dataloader.update(
        batch_size=16, num_workers=0, persistent_workers=False)
    cfg.test_dataloader.dataset.ann_file = ann_file
    cfg.merge_from_dict(options)
    return cfg


def _checkpoint(cfg, path):
    """Random weights: the sweep needs a checkpoint, not a good model."""
    init_default_scope('mmaction')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    torch.save(dict(state_dict=model.state_dict(), meta={}), path)
    return str(path)


def _sweep(cfg, work_dir, checkpoint, **sweep):
    cfg = cfg.copy()
    cfg.test_cfg = dict(type='NoiseSweepTestLoop', **sweep)
    cfg.load_from = checkpoint
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = hashlib.sha1(str(work_dir).encode()).hexdigest()
    # yapf's formatting of the config for the log would take most of the
    # time; nothing reads it back.
    with mock.patch.object(Config, 'pretty_text',
                           property(lambda self: self.filename)):
        return Runner.from_cfg(cfg).test()


def _copy_annotations(source, path):
    with open(source, 'rb') as f:
        data = pickle.load(f)
    with open(path, 'wb') as f:
        pickle.dump(data, f)
    return str(path), data


@pytest.fixture(scope='module')
def checkpoint(tiny_synthetic, tmp_path_factory):
    return _checkpoint(
        _config(CONFIG, tiny_synthetic),
        tmp_path_factory.mktemp('random') / 'random.pth')


def test_with_clean_level():
    assert with_clean_level([0.1, 0.05]) == ([0.0, 0.1, 0.05], True)
    assert with_clean_level([0.05, 0.0]) == ([0.05, 0.0], False)


def test_each_level_keeps_its_class_report_and_clean_is_shared(
        tiny_synthetic, checkpoint, tmp_path, monkeypatch):
    passes = []
    evaluate = NoiseSweepTestLoop._evaluate

    def spy(self, conditions, digest):
        passes.append([(c['corruption'], c['level']) for c in conditions])
        return evaluate(self, conditions, digest)

    monkeypatch.setattr(NoiseSweepTestLoop, '_evaluate', spy)
    reports = tmp_path / 'reports'
    cfg = _config(
        CONFIG,
        tiny_synthetic,
        test_evaluator=[
            dict(type='ClassReportMetric', topk=(1, ), out_dir=str(reports))
        ])
    out_file = str(tmp_path / 'sweep.jsonl')
    _sweep(
        cfg,
        tmp_path / 'w',
        checkpoint,
        levels=[0.05],  # the clean level is added
        corruptions=['gaussian', 'joint_dropout'],
        out_file=out_file)
    # One pass, the clean level once.
    assert passes == [[('gaussian', 0.0), ('gaussian', 0.05),
                       ('joint_dropout', 0.05)]]
    _, records = read_sweep_file(out_file)
    assert [(r['corruption'], r['level'])
            for r in records] == [('gaussian', 0.0), ('gaussian', 0.05),
                                  ('joint_dropout', 0.0),
                                  ('joint_dropout', 0.05)]
    assert records[2]['same_as'] == dict(corruption='gaussian', level=0.0)
    for name in ('clean', 'gaussian_0.05', 'joint_dropout_0.05'):
        assert (reports / f'class_report_{name}.csv').is_file()
        assert (reports / f'class_report_{name}_confusion.csv').is_file()
    assert sorted(p.name for p in reports.iterdir()) == sorted(
        f'class_report_{name}{end}'
        for name in ('clean', 'gaussian_0.05', 'joint_dropout_0.05')
        for end in ('.csv', '.json', '_confusion.csv'))


def test_a_regenerated_annotation_file_is_refused_or_recomputed(
        tiny_synthetic, checkpoint, tmp_path):
    ann_file, data = _copy_annotations(tiny_synthetic,
                                       tmp_path / 'annotations.pkl')
    cfg = _config(CONFIG, ann_file)
    out_file = str(tmp_path / 'sweep.jsonl')
    _sweep(cfg, tmp_path / 'w0', checkpoint, levels=[0], out_file=out_file)
    with open(out_file, 'rb') as f:
        before = f.read()
    data['annotations'][0]['keypoint'] = \
        data['annotations'][0]['keypoint'] + 1.0
    with open(ann_file, 'wb') as f:
        pickle.dump(data, f)
    with pytest.raises(ValueError) as error:
        _sweep(cfg, tmp_path / 'w1', checkpoint, levels=[0], out_file=out_file)
    message = str(error.value)
    assert f'annotation file {ann_file} changed (sha256 ' in message
    assert '--overwrite' in message
    with open(out_file, 'rb') as f:
        assert f.read() == before
    _sweep(
        cfg,
        tmp_path / 'w2',
        checkpoint,
        levels=[0],
        out_file=out_file,
        overwrite=True)
    header, records = read_sweep_file(out_file)
    with open(ann_file, 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    assert header['annotations'] == {ann_file: digest}
    assert len(records) == 1


@pytest.fixture(scope='module')
def swept(tiny_synthetic, checkpoint, tmp_path_factory):
    """A one-level sweep on a copy of the annotation file."""
    folder = tmp_path_factory.mktemp('swept')
    ann_file, _ = _copy_annotations(tiny_synthetic, folder / 'ann.pkl')
    out_file = str(folder / 'sweep.jsonl')
    _sweep(
        _config(CONFIG, ann_file),
        folder / 'w',
        checkpoint,
        levels=[0],
        out_file=out_file)
    with open(out_file, 'rb') as f:
        return ann_file, out_file, f.read()


@pytest.mark.parametrize(
    'options,sweep,changes', [
        ({
            'test_dataloader.dataset.pipeline.3.scale': (-1, 48)
        }, {}, ['test_dataset.pipeline[3].scale: [-1, 40] -> [-1, 48]']),
        ({
            'test_dataloader.dataset.pipeline.0.num_clips': 2
        }, {}, ['test_dataset.pipeline[0].num_clips: 1 -> 2']),
        ({
            'model.cls_head.average_clips': 'score'
        }, dict(scale='video'), [
            'model_config.cls_head.average_clips: \'prob\' -> \'score\'',
            "scale: 'seed001' -> 'video'"
        ]),
    ],
    ids=['pipeline', 'clip count', 'model and noise'])
def test_other_settings_are_refused(swept, checkpoint, tmp_path, options,
                                    sweep, changes):
    ann_file, out_file, before = swept
    with pytest.raises(ValueError) as error:
        _sweep(
            _config(CONFIG, ann_file, **options),
            tmp_path / 'w',
            checkpoint,
            levels=[0],
            out_file=out_file,
            **sweep)
    lines = str(error.value).splitlines()
    assert lines[0].endswith('holds results of another run; a result is '
                             'reused only when everything that decides it '
                             'is the same, and here:')
    assert lines[1:-1] == [f'  - {change}' for change in changes]
    with open(out_file, 'rb') as f:
        assert f.read() == before


def test_a_scale_that_cannot_run_stops_before_any_level(tiny_babel, tmp_path):
    cfg = _config(BABEL_CONFIG, tiny_babel['val']['label_file'])
    checkpoint = _checkpoint(cfg, tmp_path / 'stgcnpp.pth')
    out_file = tmp_path / 'sweep.jsonl'
    with pytest.raises(ValueError) as error:
        _sweep(
            cfg,
            tmp_path / 'w',
            checkpoint,
            levels=[0, 0.05],
            scale='motion',
            out_file=str(out_file))
    assert str(error.value).startswith(
        'noise sweep: gaussian @ 0.05 fails on the first test sample (')
    assert 'so no condition was evaluated' in str(error.value)
    assert not out_file.exists()  # level 0 was not evaluated either


def test_one_pass_gives_the_level_by_level_numbers(tiny_synthetic, tmp_path,
                                                   monkeypatch):
    """Every level from one read of each sample (the default) against one
    level per pass, on the heatmap PoseC3D (heatmaps rendered by the data
    preprocessor; seed 001's noise before frame sampling) with 2 workers
    and batches that do not divide the test set: the model gets the same
    batches, bit for bit, and the records are the same."""
    from conftest import SYNTHETIC_CONFIG

    from mmhar_robust.models.data_preprocessors import \
        PoseTargetDataPreprocessor
    cfg = _config(SYNTHETIC_CONFIG, tiny_synthetic)
    cfg.test_dataloader.update(batch_size=5, num_workers=2)
    checkpoint = _checkpoint(cfg, tmp_path / 'heatmap.pth')
    seen = []
    forward = PoseTargetDataPreprocessor.forward

    def spy(self, data, training=False):
        out = forward(self, data, training)
        indices = tuple(s.sample_idx for s in out['data_samples'])
        digest = hashlib.sha1(out['inputs'].contiguous().numpy().tobytes())
        seen.append((indices, digest.hexdigest()))
        return out

    monkeypatch.setattr(PoseTargetDataPreprocessor, 'forward', spy)
    records, batches = {}, {}
    for per_pass in (None, 1):
        seen.clear()
        out_file = str(tmp_path / f'sweep_{per_pass}.jsonl')
        _sweep(
            cfg,
            tmp_path / f'w{per_pass}',
            checkpoint,
            levels=[0, 0.02, 0.1],
            corruptions=['gaussian', 'joint_dropout'],
            out_file=out_file,
            conditions_per_pass=per_pass)
        records[per_pass] = read_sweep_file(out_file)[1]
        batches[per_pass] = sorted(seen)
    # 13 test clips in batches of 5, 3, 5 and 5: 5 levels (clean once).
    assert len(batches[None]) == 3 * 5
    assert batches[None] == batches[1]
    # Every level gave each batch other inputs.
    assert len({digest for _, digest in batches[None]}) == 3 * 5
    assert len(records[None]) == 6
    assert records[None] == records[1]
