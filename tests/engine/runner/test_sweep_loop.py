"""SweepTestLoop: every record keeps each sample's predicted and true class in
dataset order with a digest of the test set; old records without them still
resume; records of another test set are refused."""
import hashlib
import json

import mmhar_robust  # noqa: F401  (compat fixes and registration first)
import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch.utils.data import Dataset

from mmhar_robust.engine.runner.sweep_loop import (IndexedDataset,
                                                   SweepTestLoop,
                                                   read_sweep_file,
                                                   samples_digest)

NUM_CLASSES = 3
LABELS = [0, 1, 2, 0, 1, 1, 2]


class ShiftedSet(Dataset):
    """Sample i holds (i, shift); ``shift`` is the sweep's condition."""

    def __init__(self, names=None):
        self.names = names or [f'clip{i}' for i in range(len(LABELS))]
        self.shift = 0

    def __len__(self):
        return len(LABELS)

    def get_data_info(self, index):
        return dict(frame_dir=self.names[index], label=LABELS[index])

    def __getitem__(self, index):
        sample = ActionDataSample().set_gt_label(LABELS[index])
        return dict(
            inputs=torch.tensor([index, self.shift]), data_samples=sample)


class Modulo(BaseModel):
    """Predicts class (i + shift) mod 3 for sample i."""

    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(1))

    def forward(self, inputs, data_samples=None, mode='tensor'):
        for x, sample in zip(inputs, data_samples):
            score = torch.zeros(NUM_CLASSES)
            score[int(x.sum()) % NUM_CLASSES] = 1
            sample.set_pred_score(score * self.weight.detach())
        return data_samples


class ShiftLoop(SweepTestLoop):
    record_keys = ('shift', )

    def conditions(self):
        return [dict(shift=0), dict(shift=1)]

    def apply(self, condition):
        self.dataloader.dataset.shift = condition['shift']


def _expected_preds(shift):
    return [(i + shift) % NUM_CLASSES for i in range(len(LABELS))]


def _run(tmp_path, out_file, dataset=None, name='run'):
    model = Modulo()
    checkpoint = tmp_path / 'modulo.pth'
    torch.save(dict(state_dict=model.state_dict(), meta={}), checkpoint)
    runner = Runner(
        model=model,
        work_dir=str(tmp_path / name),
        test_dataloader=dict(
            dataset=dataset or ShiftedSet(),
            sampler=dict(type='DefaultSampler', shuffle=False),
            batch_size=3,
            num_workers=0),
        test_evaluator=dict(
            type='AccMetric',
            metric_list='top_k_accuracy',
            metric_options=dict(top_k_accuracy=dict(topk=(1, )))),
        test_cfg=dict(type=ShiftLoop, out_file=str(out_file)),
        load_from=str(checkpoint),
        cfg=dict(load_from=str(checkpoint)),
        default_scope='mmaction',
        experiment_name=hashlib.sha1(str(tmp_path /
                                         name).encode()).hexdigest())
    return runner.test()


@pytest.fixture
def swept(tmp_path):
    out_file = tmp_path / 'shift.jsonl'
    metrics = _run(tmp_path, out_file)
    return out_file, metrics


def test_records_keep_every_samples_outcome_in_dataset_order(swept, tmp_path):
    out_file, metrics = swept
    _, records = read_sweep_file(str(out_file))
    digest = samples_digest(ShiftedSet())
    for record, shift in zip(records, (0, 1)):
        samples = record['samples']
        assert samples == dict(
            test_set_sha256=digest, pred=_expected_preds(shift), gt=LABELS)
        right = sum(p == g for p, g in zip(samples['pred'], samples['gt']))
        assert record['metrics'] == {'acc/top1': right / len(LABELS)}
        assert metrics[f'{shift}/acc/top1'] == right / len(LABELS)
    # Shift 0: samples 0-4 right, 5 and 6 wrong.
    assert records[0]['metrics']['acc/top1'] == pytest.approx(5 / 7)
    # Compact lines: the per-sample lists are most of the file.
    assert '"pred":[0,1,2,0,1,2,0]' in out_file.read_text()


def test_digest_names_the_samples_and_their_order():
    digest = samples_digest(ShiftedSet())
    assert samples_digest(ShiftedSet()) == digest
    renamed = ShiftedSet([f'other{i}' for i in range(len(LABELS))])
    assert samples_digest(renamed) != digest
    assert len(digest) == 64
    # Without data infos, only the length identifies the set.
    assert samples_digest([0] * 7) == samples_digest([1] * 7)
    assert samples_digest([0] * 7) != samples_digest([0] * 6)


def test_indexed_dataset_sets_the_index():
    item = IndexedDataset(ShiftedSet())[4]
    assert item['data_samples'].sample_idx == 4
    assert IndexedDataset([dict(inputs=1)])[0] == dict(inputs=1)


def test_old_records_without_outcomes_resume_as_they_are(swept, tmp_path):
    out_file, _ = swept
    lines = out_file.read_text().splitlines()
    old = json.loads(lines[1])
    del old['samples']  # written before outcomes were kept
    out_file.write_text('\n'.join([lines[0], json.dumps(old)]) + '\n')
    _run(tmp_path, out_file, name='resumed')
    _, records = read_sweep_file(str(out_file))
    assert 'samples' not in records[0]  # not evaluated again
    assert records[1]['samples']['pred'] == _expected_preds(1)


def test_records_of_another_test_set_are_refused(swept, tmp_path):
    out_file, _ = swept
    # Only the second condition is there: refused before the first one is
    # evaluated and appended.
    lines = out_file.read_text().splitlines()
    out_file.write_text(lines[0] + '\n' + lines[2] + '\n')
    before = out_file.read_text()
    renamed = ShiftedSet([f'other{i}' for i in range(len(LABELS))])
    with pytest.raises(ValueError, match='holds results on another test set'):
        _run(tmp_path, out_file, dataset=renamed, name='other')
    assert out_file.read_text() == before
