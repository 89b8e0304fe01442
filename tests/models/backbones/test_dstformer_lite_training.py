"""The MotionBERT-Lite config trains for three iterations in MMEngine's
Runner on the tiny synthetic set (15-25 s on 2 CPU cores)."""
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.runner import Runner

import mmhar_robust  # noqa: F401

from conftest import ROOT

LITE = osp.join(ROOT, 'configs', 'skeleton', 'motionbert',
                'motionbert_dstformer-lite_1xb8-u16-8e_synthetic-xsub-'
                'keypoint.py')


def test_lite_config_trains_three_iterations(tiny_synthetic, tmp_path):
    cfg = Config.fromfile(LITE)
    cfg.work_dir = str(tmp_path)
    cfg.train_dataloader.dataset.ann_file = tiny_synthetic
    cfg.train_dataloader.num_workers = 0
    cfg.train_dataloader.persistent_workers = False
    cfg.train_dataloader.batch_size = 2
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=3,
                         val_interval=100)
    cfg.param_scheduler = None
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=100)
    cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None
    cfg.test_dataloader = cfg.test_cfg = cfg.test_evaluator = None
    cfg.log_level = 'WARNING'
    runner = Runner.from_cfg(cfg)
    before = runner.model.backbone.joints_embed.weight.detach().clone()
    pose_head = runner.model.backbone.head.weight.detach().clone()
    runner.train()
    assert runner.iter == 3
    after = runner.model.backbone.joints_embed.weight
    assert not torch.equal(before, after)
    assert torch.equal(pose_head, runner.model.backbone.head.weight)
    loss = runner.message_hub.get_scalar('train/loss').current()
    assert loss == loss and loss < 10  # finite, near log(13) = 2.6
