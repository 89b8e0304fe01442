"""tools/analysis_tools/domain_report.py on a pickle in the format of
``tools/test.py --dump`` (MMEngine's DumpResults), and its errors."""
import csv
import importlib.util
import os.path as osp
import pickle
import subprocess

import mmhar_robust  # noqa: F401  (compat fixes first)
import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.evaluator import Evaluator

from conftest import PYTHON, ROOT

TOOL = osp.join(ROOT, 'tools', 'analysis_tools', 'domain_report.py')
NAMES = ['jump', 'turn', 'walk']
GT = [0, 0, 0, 1, 2, 2]
PRED = [0, 2, 2, 1, 2, 0]  # jump: walk 2, jump 1; walk: walk 1, jump 1


def _tool():
    spec = importlib.util.spec_from_file_location('domain_report_tool', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _dump(path, gt=GT, pred=PRED):
    """Write predictions the way tools/test.py --dump does: an Evaluator
    with a DumpResults metric, fed ActionDataSamples."""
    evaluator = Evaluator(dict(type='DumpResults', out_file_path=str(path)))
    samples = []
    for i, (label, p) in enumerate(zip(gt, pred)):
        sample = ActionDataSample(metainfo=dict(video_id=f'clip{i}'))
        sample.set_gt_label(label)
        score = torch.full((3, ), 0.1)
        score[p] = 0.8
        sample.set_pred_score(score)
        sample.set_pred_label(score.argmax())
        samples.append(sample)
    evaluator.process(samples)
    evaluator.evaluate(len(samples))
    return str(path)


def _run(*args):
    return subprocess.run([PYTHON, TOOL, *map(str, args)],
                          cwd=ROOT,
                          capture_output=True,
                          text=True,
                          timeout=300)


def test_dump_pickle_to_markdown(tmp_path):
    results = _dump(tmp_path / 'results.pkl')
    with open(results, 'rb') as f:  # what DumpResults writes: dicts
        first = pickle.load(f)[0]
    assert isinstance(first, dict) and first['video_id'] == 'clip0'
    classes = tmp_path / 'classes.txt'
    classes.write_text('\n'.join(NAMES) + '\n')
    out = tmp_path / 'domain.md'
    result = _run(results, '--classes', classes, '--top-n', 1, '--out', out)
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'top-1 50.0%' in result.stdout
    assert 'mean class accuracy 61.1%' in result.stdout  # (1/3 + 1 + 1/2)/3
    expected = [
        '| jump (3) | walk | 2 | 66.7 |',
        '|  | (other) | 1 | 33.3 |',
        '| turn (1) | turn | 1 | 100.0 |',
        '| walk (2) | jump | 1 | 50.0 |',
        '|  | (other) | 1 | 50.0 |',
    ]
    assert out.read_text().splitlines()[2:] == expected
    assert '\n'.join(expected) in result.stdout


def test_missing_scores_fail_naming_file_and_sample(tmp_path, capsys):
    results = _dump(tmp_path / 'results.pkl')
    with open(results, 'rb') as f:
        samples = pickle.load(f)
    del samples[4]['pred_score']
    with open(results, 'wb') as f:
        pickle.dump(samples, f)
    assert _tool().main([results]) == 1
    assert f"{results}, sample 4 (video_id='clip4'), field 'pred_score': " \
        'missing' in capsys.readouterr().err


def test_config_classes_and_csv(tmp_path, capsys):
    config = tmp_path / 'cfg.py'
    config.write_text(
        'test_dataloader = dict(dataset=dict(type="RepeatDataset", times=2, '
        f'dataset=dict(type="PoseDataset", metainfo=dict(classes={NAMES}))))'
        '\n')
    out = tmp_path / 'domain.csv'
    code = _tool().main([
        _dump(tmp_path / 'r.pkl'), '--config',
        str(config), '--out',
        str(out)
    ])
    assert code == 0
    with open(out) as f:
        rows = list(csv.DictReader(f))
    assert [(r['ground_truth'], r['prediction'], r['count'])
            for r in rows] == [('jump', 'walk', '2'), ('jump', 'jump', '1'),
                               ('turn', 'turn', '1'), ('walk', 'jump', '1'),
                               ('walk', 'walk', '1')]
    assert '| walk (2) | jump | 1 | 50.0 |' in capsys.readouterr().out


def test_plain_formats_and_class_indices(tmp_path, capsys):
    scores = np.full((6, 3), 0.1)
    scores[np.arange(6), PRED] = 0.8
    as_dict = tmp_path / 'dict.pkl'
    as_list = tmp_path / 'list.pkl'
    with open(as_dict, 'wb') as f:
        pickle.dump(dict(gt_label=np.array(GT), pred_score=scores), f)
    with open(as_list, 'wb') as f:
        pickle.dump([
            dict(gt_label=g, pred_score=s.tolist())
            for g, s in zip(GT, scores)
        ], f)
    tool = _tool()
    assert tool.main([str(as_dict)]) == 0
    from_dict = capsys.readouterr().out
    assert tool.main([str(as_list)]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == \
        from_dict.splitlines()[1:]
    assert '| 0 (3) | 2 | 2 | 66.7 |' in from_dict


def test_bad_input_is_named(tmp_path, capsys):
    tool = _tool()
    missing = tmp_path / 'nope.pkl'
    assert tool.main([str(missing)]) == 1
    assert f'predictions file not found: {missing}' in capsys.readouterr().err
    out_of_range = _dump(tmp_path / 'r.pkl', gt=[0, 1, 3], pred=[0, 1, 2])
    assert tool.main([out_of_range]) == 1
    assert (f"{out_of_range}, sample 2 (video_id='clip2'), field 'gt_label': "
            'label 3 is outside [0, 3)') in capsys.readouterr().err
    classes = tmp_path / 'two.txt'
    classes.write_text('a\nb\n')
    assert tool.main([_dump(tmp_path / 'ok.pkl'), '--classes',
                      str(classes)]) == 1
    assert f'{classes}: 2 class names, but the scores' in \
        capsys.readouterr().err
    not_pickle = tmp_path / 'bad.pkl'
    not_pickle.write_text('hello')
    assert tool.main([str(not_pickle)]) == 1
    assert f'{not_pickle}: cannot read the pickle' in capsys.readouterr().err
    with pytest.raises(SystemExit):
        tool.main([str(not_pickle), '--out', str(tmp_path / 'x.txt')])


def test_config_without_classes_says_to_pass_a_file(tmp_path, capsys):
    results = _dump(tmp_path / 'r.pkl')
    bare = tmp_path / 'bare.py'
    bare.write_text('test_dataloader = dict(dataset=dict(type="PoseDataset"))')
    tool = _tool()
    assert tool.main([results, '--config', str(bare)]) == 1
    assert 'pass the names with --classes FILE' in capsys.readouterr().err
    names = tmp_path / 'names.txt'
    names.write_text('\n'.join(NAMES))
    as_file = tmp_path / 'as_file.py'
    as_file.write_text('test_dataloader = dict(dataset=dict(type="PoseDataset"'
                       f', metainfo=dict(classes="{names}")))')
    assert tool.main([results, '--config', str(as_file)]) == 0
    assert '| turn (1) | turn | 1 | 100.0 |' in capsys.readouterr().out
