"""SampleOutcomeMetric: outcomes in dataset order whatever order the samples
come in, the same top-1 as mmaction2's accuracy (ties included), reasons
instead of errors, and the right order under real distributed testing
(two gloo processes, with the sampler's padding)."""
import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmaction.evaluation.functional import top_k_accuracy
from mmaction.structures import ActionDataSample
from mmengine.evaluator import Evaluator

from mmhar_robust.evaluation.metrics import SampleOutcomeMetric, top1_class

from conftest import ROOT


def _sample(index, scores, label):
    sample = dict(
        pred_score=torch.tensor(scores), gt_label=torch.tensor([label]))
    if index is not None:
        sample['sample_idx'] = index
    return sample


def test_outcomes_in_dataset_order():
    metric = SampleOutcomeMetric()
    metric.process(None, [_sample(2, [.1, .9], 1), _sample(0, [.8, .2], 1)])
    metric.process(None, [_sample(1, [.3, .7], 0)])
    out = metric.evaluate(3)
    assert out == {
        'sample_outcomes/outcomes': dict(pred=[0, 1, 1], gt=[1, 0, 1])
    }
    assert metric.results == []  # ready for the next condition


def test_top1_is_the_one_accuracy_counts_ties_included():
    rng = np.random.default_rng(0)
    # Scores rounded to a few values: many ties, some rows all equal.
    scores = np.round(rng.random((40, 20)) * 2).astype(np.float32) / 2
    scores[:5] = 0.5
    labels = rng.integers(0, 20, 40)
    preds = [top1_class(torch.from_numpy(s)) for s in scores]
    expected = top_k_accuracy(list(scores), list(labels), (1, ))[0]
    assert np.mean(np.array(preds) == labels) == expected
    assert top1_class(np.array([0.1, 0.7, 0.2])) == 1


def test_data_samples_through_mmengines_evaluator():
    """Metainfo becomes a top-level key when the Evaluator calls
    ``to_dict()``."""
    evaluator = Evaluator([SampleOutcomeMetric()])
    samples = []
    for index, label in enumerate([2, 0]):
        sample = ActionDataSample().set_gt_label(label)
        sample.set_pred_score(torch.tensor([.2, .3, .5]))
        sample.set_metainfo(dict(sample_idx=index))
        samples.append(sample)
    evaluator.process(samples)
    assert evaluator.evaluate(2)['sample_outcomes/outcomes'] == dict(
        pred=[2, 2], gt=[2, 0])


@pytest.mark.parametrize('sample,why', [
    (_sample(None, [.5, .5], 0), "field 'sample_idx': missing"),
    (dict(
        sample_idx=0,
        pred_score=dict(rgb=torch.ones(2)),
        gt_label=torch.tensor([0])), 'scores per stream'),
    (_sample(0, [.5, .5], 0) | dict(gt_label=torch.tensor([0, 1])),
     'multi-label'),
])
def test_unusable_predictions_give_a_reason_not_an_error(sample, why):
    metric = SampleOutcomeMetric()
    metric.process(None, [sample])
    missing = metric.evaluate(1)['sample_outcomes/outcomes']['missing']
    assert why in missing and 'sweep predictions, sample 0' in missing


def test_repeated_samples_count_once_and_absent_ones_are_reported():
    metric = SampleOutcomeMetric()
    metric.process(None, [_sample(i, [.9, .1], 0) for i in (0, 1, 0)])
    assert metric.evaluate(2)['sample_outcomes/outcomes'] == dict(
        pred=[0, 0], gt=[0, 0])
    metric.process(None, [_sample(i, [.9, .1], 0) for i in (0, 2)])
    missing = metric.evaluate(3)['sample_outcomes/outcomes']['missing']
    assert 'outcomes of 2 of 3 samples (first absent: [1])' in missing


WORKER = r'''
import json, sys
import torch
import torch.distributed as dist
from mmengine.dataset import DefaultSampler
from mmhar_robust.evaluation.metrics import SampleOutcomeMetric

rank, out = int(sys.argv[1]), sys.argv[2]
dist.init_process_group('gloo', rank=rank, world_size=2)
dataset = list(range(5))
# Rank 0 gets samples 0, 2, 4; rank 1 gets 1, 3 and sample 0 again as
# padding (round_up=True makes both ranks take 3).
indices = list(DefaultSampler(dataset, shuffle=False))
metric = SampleOutcomeMetric()
for start in range(0, len(indices), 2):  # batches of 2
    metric.process(None, [
        dict(sample_idx=i, pred_score=torch.eye(5)[(i * 2) % 5],
             gt_label=torch.tensor([i])) for i in indices[start:start + 2]])
result = metric.evaluate(len(dataset))
with open(f'{out}/rank{rank}.json', 'w') as f:
    json.dump(dict(indices=indices, result=result), f)
dist.destroy_process_group()
'''


def test_distributed_collection_keeps_dataset_order(tmp_path):
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    env = dict(
        os.environ,
        MASTER_ADDR='127.0.0.1',
        MASTER_PORT=str(port),
        PYTHONPATH=ROOT,
        OMP_NUM_THREADS='1')
    procs = [
        subprocess.Popen(
            [sys.executable, '-c', WORKER,
             str(rank), str(tmp_path)],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True) for rank in (0, 1)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-2000:]
    ranks = [json.load(open(tmp_path / f'rank{r}.json')) for r in (0, 1)]
    assert ranks[0]['indices'] == [0, 2, 4]
    assert ranks[1]['indices'] == [1, 3, 0]  # padded
    expected = dict(pred=[0, 2, 4, 1, 3], gt=[0, 1, 2, 3, 4])
    for rank in ranks:  # the result is broadcast to every rank
        assert rank['result'] == {'sample_outcomes/outcomes': expected}
