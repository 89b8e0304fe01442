"""NoiseSweepTestLoop in a real Runner (MMEngine's RunnerTestCase): the test
pipeline's KeypointNoise is set to each corruption and level, the clean
level is evaluated once for all corruptions, every record is written, and a
rerun evaluates nothing."""
import copy
import os.path as osp

import numpy as np
import torch
from mmaction.structures import ActionDataSample
from mmcv.transforms import BaseTransform, Compose
from mmengine.model import BaseModel
from mmengine.registry import DATASETS, MODELS
from mmengine.testing import RunnerTestCase

import mmhar_robust  # noqa: F401  (registers the loop)
from mmhar_robust.datasets.transforms import KeypointNoise
from mmhar_robust.engine.runner import read_sweep_file

LABELS = [0, 1, 2, 0, 1, 2]
LEVELS = [0.0, 0.01, 0.02]


def raw_sample(index):
    """Four frames of two joints, all at x = 10 label + 5, y = 5."""
    keypoint = np.full((1, 4, 2, 2), 5, np.float32)
    keypoint[..., 0] += 10 * LABELS[index]
    return dict(
        frame_dir=f'clip{index}',
        label=LABELS[index],
        keypoint=keypoint,
        img_shape=(100, 100))


class PackKeypoints(BaseTransform):

    def transform(self, results):
        sample = ActionDataSample().set_gt_label(results['label'])
        return dict(
            inputs=torch.from_numpy(results['keypoint']), data_samples=sample)


class KeypointToySet(torch.utils.data.Dataset):
    """Six labelled clips whose test pipeline has a KeypointNoise."""
    metainfo = dict()

    def __init__(self):
        self.pipeline = Compose(
            [KeypointNoise(scale='video', test_mode=True),
             PackKeypoints()])

    def __len__(self):
        return len(LABELS)

    def get_data_info(self, index):
        return raw_sample(index)

    def __getitem__(self, index):
        return self.pipeline(raw_sample(index))


class CleanDetector(BaseModel):
    """Reads the class from x on a clean clip; on a moved one (any joint off
    its grid) answers the next class, so clean clips are right and noisy
    ones wrong. Keeps every input it sees."""

    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(1))
        self.seen = []

    def forward(self, inputs, data_samples=None, mode='tensor'):
        for x, sample in zip(inputs, data_samples):
            self.seen.append(x.clone())
            label = int(torch.round((x[..., 0].mean() - 5) / 10))
            clean = bool((x[..., 0] == x[..., 0].flatten()[0]).all()
                         and (x[..., 1] == 5).all())
            score = torch.zeros(3)
            score[label % 3 if clean else (label + 1) % 3] = 1
            sample.set_pred_score(score * self.weight.detach())
        return data_samples


class TestNoiseSweepTestLoop(RunnerTestCase):

    def setUp(self):
        super().setUp()
        MODELS.register_module(module=CleanDetector)
        DATASETS.register_module(module=KeypointToySet)
        checkpoint = osp.join(self.temp_dir.name, 'detector.pth')
        torch.save(
            dict(state_dict=CleanDetector().state_dict(), meta={}), checkpoint)
        cfg = self.epoch_based_cfg
        cfg.default_scope = 'mmaction'
        cfg.model = dict(type='CleanDetector')
        cfg.load_from = checkpoint
        cfg.test_dataloader.dataset = dict(type='KeypointToySet')
        cfg.test_evaluator = dict(
            type='AccMetric',
            metric_list='top_k_accuracy',
            metric_options=dict(top_k_accuracy=dict(topk=(1, ))))
        self.out_file = osp.join(self.temp_dir.name, 'sweep.jsonl')
        cfg.test_cfg = dict(
            type='NoiseSweepTestLoop',
            levels=LEVELS[1:],  # the clean level is added
            corruptions=['gaussian', 'laplace'],
            out_file=self.out_file,
            model_name='detector')
        for key in ('train_dataloader', 'train_cfg', 'optim_wrapper',
                    'val_dataloader', 'val_evaluator', 'val_cfg'):
            cfg[key] = None

    def tearDown(self):
        MODELS.module_dict.pop('CleanDetector', None)
        DATASETS.module_dict.pop('KeypointToySet', None)
        super().tearDown()

    def _test(self):
        runner = self.build_runner(copy.deepcopy(self.epoch_based_cfg))
        return runner.test(), runner.model.seen

    def test_every_level_of_every_corruption_is_evaluated(self):
        metrics, seen = self._test()
        assert metrics == {
            f'{corruption}@{level}/acc/top1': 1.0 if level == 0 else 0.0
            for corruption in ('gaussian', 'laplace')
            for level in LEVELS
        }
        # One pass: the clean level once, then each corruption's two
        # levels; for each batch of three samples, the batch at each level
        # in turn, noised as by a KeypointNoise set to that corruption and
        # level alone.
        levels = [('gaussian', 0.0)] + [(c, level)
                                        for c in ('gaussian', 'laplace')
                                        for level in LEVELS[1:]]
        assert len(seen) == 6 * len(levels)
        order = [(level, index) for batch in (range(3), range(3, 6))
                 for level in levels for index in batch]
        for x, ((corruption, level), index) in zip(seen, order):
            noise = KeypointNoise(corruption, level, 'video', test_mode=True)
            expected = noise(raw_sample(index))['keypoint']
            np.testing.assert_array_equal(x.numpy(), expected)

    def test_records_and_a_rerun_that_evaluates_nothing(self):
        metrics, _ = self._test()
        header, records = read_sweep_file(self.out_file)
        assert header['model'] == 'detector'
        assert (header['scale'], header['seed']) == ('video', 0)
        assert [(r['corruption'], r['level']) for r in records] == [
            (c, level) for c in ('gaussian', 'laplace') for level in LEVELS
        ]
        shifted = [(label + 1) % 3 for label in LABELS]
        for record in records:
            assert record['samples']['gt'] == LABELS
            assert record['samples']['pred'] == (
                LABELS if record['level'] == 0 else shifted)
        assert records[3]['same_as'] == dict(corruption='gaussian', level=0.0)
        assert all('same_as' not in r for i, r in enumerate(records) if i != 3)
        again, seen = self._test()
        assert seen == [] and again == metrics
        assert read_sweep_file(self.out_file)[1] == records
