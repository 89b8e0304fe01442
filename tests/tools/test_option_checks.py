"""--cfg-options keys that change nothing are named, with the nearest key."""
import importlib.util
import inspect
import logging
import os.path as osp
import re
import subprocess
import sys

import pytest
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.runner import Runner

from conftest import PYTHON, ROOT, SYNTHETIC_CONFIG

TOOLS = osp.join(ROOT, 'tools')


def _load_tool(name):
    spec = importlib.util.spec_from_file_location(
        f'{name}_tool', osp.join(TOOLS, f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def tools_path(monkeypatch):
    """The tools import option_checks as scripts do: from their folder."""
    monkeypatch.syspath_prepend(TOOLS)
    sys.modules.pop('option_checks', None)
    yield
    sys.modules.pop('option_checks', None)


@pytest.fixture
def checks(tools_path):
    import option_checks
    return option_checks


class _Records(logging.Handler):

    def __init__(self):
        super().__init__()
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture
def logged():
    handler = _Records()
    logger = MMLogger.get_current_instance()
    logger.addHandler(handler)
    yield handler.messages
    logger.removeHandler(handler)


def test_runner_keys_are_those_runner_from_cfg_reads(checks):
    """Read independently from the source of Runner.from_cfg."""
    source = inspect.getsource(Runner.from_cfg)
    read = set(re.findall(r"cfg(?:\.get\(|\[)'(\w+)'", source))
    assert 'model' in read and 'experiment_name' in read
    assert read <= checks.runner_keys()
    assert 'cfg' not in checks.runner_keys()


def test_unknown_top_level_keys_are_named_with_the_nearest(checks, tmp_path):
    path = tmp_path / 'x.py'
    path.write_text("model = dict(type='X')\ntrain_cfg = dict(max_epochs=3)"
                    '\nclip_len = 16\n')
    cfg = Config.fromfile(str(path))
    messages = checks.unknown_cfg_options([
        'tran_cfg.max_epochs', 'model.backbone.depth', 'resume', 'sync_bn',
        'clip_len', 'tran_cfg.val_interval', 'zzqqxx'
    ], cfg)
    assert messages == [
        "--cfg-options tran_cfg.max_epochs: 'tran_cfg' is not a top-level "
        f"key of {path} nor one MMEngine's Runner reads, so this option "
        "changes nothing; did you mean 'train_cfg'?",
        f"--cfg-options zzqqxx: 'zzqqxx' is not a top-level key of {path} "
        "nor one MMEngine's Runner reads, so this option changes nothing; "
        'no known key is close to it.'
    ]


def test_warns_once_per_config_and_logs(checks, logged):
    options = {'train_dataloder.batch_size': 2, 'model.cls_head.x': 1}
    assert checks.warn_unknown_cfg_options(None, SYNTHETIC_CONFIG) == []
    messages = checks.warn_unknown_cfg_options(options, SYNTHETIC_CONFIG,
                                               SYNTHETIC_CONFIG)
    assert len(messages) == 1
    assert "'train_dataloder'" in messages[0]
    assert "did you mean 'train_dataloader'?" in messages[0]
    assert SYNTHETIC_CONFIG in messages[0]
    assert logged == messages


def test_train_merge_args_warns_before_merging(tools_path, logged, tmp_path,
                                               monkeypatch):
    train = _load_tool('train')
    monkeypatch.setattr(sys, 'argv', [
        'train.py', SYNTHETIC_CONFIG, '--work-dir',
        str(tmp_path), '--cfg-options', 'optim_wraper.optimizer.lr=0.5',
        'train_cfg.max_epochs=2'
    ])
    args = train.parse_args()
    cfg = train.merge_args(Config.fromfile(SYNTHETIC_CONFIG), args)
    assert cfg.train_cfg.max_epochs == 2
    assert cfg.optim_wraper.optimizer.lr == 0.5  # merged, and named
    assert len(logged) == 1
    assert "'optim_wraper'" in logged[0]
    assert "did you mean 'optim_wrapper'?" in logged[0]


def test_test_tool_prints_the_warning(tmp_path):
    """The command line is the point: the warning reaches the user."""
    result = subprocess.run([
        PYTHON, 'tools/test.py', SYNTHETIC_CONFIG,
        str(tmp_path / 'none.pth'), '--work-dir',
        str(tmp_path), '--cfg-options', 'test_dataloadr.batch_size=1'
    ],
                            cwd=ROOT,
                            capture_output=True,
                            text=True,
                            timeout=300)
    output = result.stdout + result.stderr
    assert "--cfg-options test_dataloadr.batch_size: 'test_dataloadr' is " \
        'not a top-level key' in output
    assert "did you mean 'test_dataloader'?" in output
    assert result.returncode != 0  # then stops: the checkpoint is missing
    assert f'checkpoint not found: {tmp_path}/none.pth' in output
