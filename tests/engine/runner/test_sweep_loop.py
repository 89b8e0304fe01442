"""SweepTestLoop: every record keeps each sample's predicted and true class in
dataset order with a digest of the test set; files of the old format and
records of another test set are refused; equivalent conditions are
evaluated once; every condition is tried before any is evaluated; one
class report per condition; only rank 0 writes."""
import hashlib
import json

import mmhar_robust  # noqa: F401  (compat fixes and registration first)
import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch.utils.data import Dataset

from mmhar_robust.engine.runner.condition_datasets import IndexedDataset
from mmhar_robust.engine.runner.sweep_loop import SweepTestLoop
from mmhar_robust.engine.runner.sweep_records import (read_sweep_file,
                                                      samples_digest)

NUM_CLASSES = 3
LABELS = [0, 1, 2, 0, 1, 1, 2]


class ShiftedSet(Dataset):
    """Sample i holds (i, shift); ``shift`` is the sweep's condition; at
    shift ``fail_at`` the samples cannot be made."""

    def __init__(self, names=None, fail_at=None):
        self.names = names or [f'clip{i}' for i in range(len(LABELS))]
        self.shift, self.fail_at = 0, fail_at

    def __len__(self):
        return len(LABELS)

    def get_data_info(self, index):
        return dict(frame_dir=self.names[index], label=LABELS[index])

    def __getitem__(self, index):
        if self.shift == self.fail_at:
            raise KeyError(f'no shift {self.shift}')
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
    shifts = (0, 1)

    def conditions(self):
        return [dict(shift=shift) for shift in self.shifts]

    def apply(self, condition):
        self.dataloader.dataset.shift = condition['shift']


class ModuloLoop(ShiftLoop):
    """Shifts 0 and 3 give the model the same predictions."""
    shifts = (0, 1, 3, 2)

    def equivalent(self, condition):
        return condition['shift'] % NUM_CLASSES


def _expected_preds(shift):
    return [(i + shift) % NUM_CLASSES for i in range(len(LABELS))]


ACC = dict(
    type='AccMetric',
    metric_list='top_k_accuracy',
    metric_options=dict(top_k_accuracy=dict(topk=(1, ))))


def _run(tmp_path,
         out_file,
         dataset=None,
         name='run',
         loop=ShiftLoop,
         evaluator=ACC,
         **options):
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
        test_evaluator=evaluator,
        test_cfg=dict(type=loop, out_file=str(out_file), **options),
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


def test_files_of_the_old_format_are_refused_until_overwritten(
        swept, tmp_path):
    out_file, _ = swept
    lines = out_file.read_text().splitlines()
    header = json.loads(lines[0])
    del header['header']['format']  # as written before the full header
    record = json.loads(lines[1])
    del record['samples']  # and before outcomes were kept
    old = json.dumps(header) + '\n' + json.dumps(record) + '\n'
    out_file.write_text(old)
    with pytest.raises(ValueError, match='older version.*--overwrite'):
        _run(tmp_path, out_file, name='refused')
    assert out_file.read_text() == old
    _run(tmp_path, out_file, name='overwritten', overwrite=True)
    header, records = read_sweep_file(str(out_file))
    assert 'format' in header
    assert [r['samples']['pred']
            for r in records] == [_expected_preds(0),
                                  _expected_preds(1)]


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


def test_equivalent_conditions_are_evaluated_once(tmp_path, monkeypatch):
    applied = []
    apply = ModuloLoop.apply

    def spy(self, condition):
        applied.append(condition['shift'])
        apply(self, condition)

    monkeypatch.setattr(ModuloLoop, 'apply', spy)
    out_file = tmp_path / 'modulo.jsonl'
    metrics = _run(tmp_path, out_file, loop=ModuloLoop)
    # Tried on the first sample (0, 1, 2), then evaluated (0, 1, 2); 3 is 0.
    assert applied == [0, 1, 2, 0, 1, 2]
    _, records = read_sweep_file(str(out_file))
    by_shift = {r['shift']: r for r in records}
    assert [r['shift'] for r in records] == [0, 1, 3, 2]
    assert by_shift[3]['same_as'] == dict(shift=0)
    assert by_shift[3]['samples'] == by_shift[0]['samples']
    assert metrics['3/acc/top1'] == metrics['0/acc/top1'] == 5 / 7
    # A rerun finds everything; nothing is evaluated or tried again.
    applied.clear()
    _run(tmp_path, out_file, loop=ModuloLoop, name='again')
    assert applied == []


def test_every_condition_is_tried_before_any_is_evaluated(tmp_path):
    out_file = tmp_path / 'fails.jsonl'
    with pytest.raises(ValueError) as error:
        _run(tmp_path, out_file, dataset=ShiftedSet(fail_at=1))
    assert str(error.value) == (
        'sweep: 1 fails on the first test sample (clip0), so no condition '
        "was evaluated: KeyError: 'no shift 1'")
    assert not out_file.exists()  # shift 0 was not evaluated either


def test_each_condition_keeps_its_class_report(tmp_path):
    out_file = tmp_path / 'reports.jsonl'
    report = dict(
        type='ClassReportMetric',
        topk=(1, ),
        out_dir=str(tmp_path / 'reports'))
    _run(tmp_path, out_file, evaluator=report)
    import csv
    for shift in (0, 1):
        path = tmp_path / 'reports' / f'class_report_{shift}.csv'
        with open(path) as f:
            recall = [float(row['recall']) for row in csv.DictReader(f)]
        # By hand: class c is predicted for sample i when (i + shift) % 3
        # == c; LABELS = 0 1 2 0 1 1 2.
        preds = _expected_preds(shift)
        expected = [
            sum(p == g == c for p, g in zip(preds, LABELS)) / LABELS.count(c)
            for c in range(NUM_CLASSES)
        ]
        assert recall == pytest.approx(expected)
        assert (tmp_path / 'reports' /
                f'class_report_{shift}_confusion.csv').exists()
    assert not (tmp_path / 'reports' / 'class_report.csv').exists()


def test_ranks_other_than_0_write_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(Runner, 'rank', property(lambda self: 1))
    out_file = tmp_path / 'rank1.jsonl'
    metrics = _run(tmp_path, out_file)
    assert metrics['0/acc/top1'] == pytest.approx(5 / 7)
    assert not out_file.exists()
