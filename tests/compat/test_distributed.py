"""--launcher pytorch without a GPU: MMEngine's own ``init_dist`` and
``Runner`` run with gloo and a CPU DDP wrapper, and nothing changes where
MMEngine's own path applies. (Two real processes, started as mmaction2's
tools would be: tests/tools/test_multi_process.py.)"""
import datetime
import socket

import pytest
import torch.distributed as torch_dist
from mmengine.config import Config
from mmengine.device import get_device
from mmengine.dist import init_dist
from mmengine.dist import utils as dist_utils
from mmengine.model import BaseModel, MMDistributedDataParallel
from mmengine.runner import Runner
from torch import nn

import mmhar_robust  # noqa: F401
from mmhar_robust.compat import distributed
from mmhar_robust.compat.distributed import (cpu_distributed_patched,
                                             cpu_model_wrapper_cfg,
                                             cpu_process_group_kwargs,
                                             patch_cpu_distributed)


def test_process_group_kwargs_on_the_cpu():
    assert cpu_process_group_kwargs(None) == dict(backend='gloo')
    assert cpu_process_group_kwargs(dict(backend='nccl', timeout=90)) == dict(
        backend='gloo', timeout=datetime.timedelta(seconds=90))
    # init_dist hands over a timedelta already; kept as it is.
    assert cpu_process_group_kwargs(
        dict(timeout=datetime.timedelta(seconds=5))) == dict(
            backend='gloo', timeout=datetime.timedelta(seconds=5))
    # Backends that run on the CPU are kept.
    assert cpu_process_group_kwargs(dict(backend='mpi')) == dict(backend='mpi')
    with pytest.raises(ValueError, match='init_backend'):
        cpu_process_group_kwargs(dict(init_backend='deepspeed'))
    with pytest.raises(ValueError, match='timeout'):
        cpu_process_group_kwargs(dict(timeout='30'))


def test_model_wrapper_takes_no_device_ids():
    assert cpu_model_wrapper_cfg(None, True) == dict(
        type='MMDistributedDataParallel',
        device_ids=None,
        broadcast_buffers=False,
        find_unused_parameters=True)
    # The config's own DDP wrapper keeps its settings, loses device_ids.
    wrapper = dict(
        type='MMSeparateDistributedDataParallel',
        device_ids=[0],
        broadcast_buffers=True)
    assert cpu_model_wrapper_cfg(wrapper) == dict(
        type='MMSeparateDistributedDataParallel',
        device_ids=None,
        broadcast_buffers=True)
    assert wrapper['device_ids'] == [0]  # a copy, the config is untouched
    # No type: MMEngine's default, a DDP.
    assert cpu_model_wrapper_cfg(dict(broadcast_buffers=True)) == dict(
        broadcast_buffers=True, device_ids=None)
    # Wrappers that are no DDP, and unknown ones, are left to MMEngine.
    for other in (dict(type='DataParallel'), dict(type='NoSuchWrapper')):
        assert cpu_model_wrapper_cfg(other) == other


@pytest.fixture
def on_cpu(monkeypatch):
    """MMEngine's functions wrapped as on a CPU machine (whatever this one
    is), restored afterwards."""
    monkeypatch.setattr(distributed, 'get_device', lambda: 'cpu')
    for owner, name, make in distributed._wrapped_functions().values():
        function = getattr(owner, name)
        if not getattr(function, distributed._MARK, False):
            monkeypatch.setattr(owner, name, make(function))
    assert cpu_distributed_patched()


def test_patch_once_and_only_without_a_gpu(monkeypatch):
    originals = {
        key:
        getattr(getattr(owner, name), '__wrapped__', getattr(owner, name))
        for key, (owner, name, _) in distributed._wrapped_functions().items()
    }
    for key, (owner, name, _) in distributed._wrapped_functions().items():
        monkeypatch.setattr(owner, name, originals[key])
    assert not cpu_distributed_patched()
    # With a GPU MMEngine's own functions stay.
    monkeypatch.setattr(distributed, 'get_device', lambda: 'cuda')
    assert not patch_cpu_distributed()
    assert dist_utils._init_dist_pytorch is originals['pytorch']
    assert Runner.wrap_model is originals['wrap_model']
    # Without one they are wrapped, once.
    monkeypatch.setattr(distributed, 'get_device', lambda: 'cpu')
    assert patch_cpu_distributed()
    assert cpu_distributed_patched()
    wrapped = dist_utils._init_dist_pytorch
    assert wrapped.__wrapped__ is originals['pytorch']
    assert not patch_cpu_distributed()
    assert dist_utils._init_dist_pytorch is wrapped


def test_gpu_calls_reach_mmengine_unchanged(on_cpu, monkeypatch):
    calls = []

    def init(*args, **kwargs):
        calls.append((args, kwargs))

    def wrap_model(self, model_wrapper_cfg, model):
        calls.append((model_wrapper_cfg, model))

    monkeypatch.setattr(distributed, 'get_device', lambda: 'cuda')
    timeout = datetime.timedelta(seconds=3)
    distributed._init_dist_pytorch_on_cpu(init)('nccl', timeout=timeout)
    distributed._needs_gpu_on_cpu(init, 'slurm')('nccl', port=29500)
    runner = type('Runner', (), dict(distributed=True, cfg=Config()))()
    distributed._wrap_model_on_cpu(wrap_model)(runner, None, 'model')
    assert calls == [(('nccl', ), dict(init_backend='torch', timeout=timeout)),
                     (('nccl', ), dict(port=29500)), (None, 'model')]


def test_cpu_launchers_that_cannot_run_are_named(on_cpu, monkeypatch):
    # init_dist would choose the 'spawn' start method for the whole session.
    monkeypatch.setattr(dist_utils.mp, 'set_start_method',
                        lambda *a, **k: None)
    for launcher in ('slurm', 'mpi'):
        with pytest.raises(ValueError, match=f'--launcher {launcher} needs'):
            init_dist(launcher)
    monkeypatch.delenv('RANK', raising=False)
    with pytest.raises(ValueError, match='torchrun'):
        init_dist('pytorch')
    assert not torch_dist.is_initialized()


class _Linear(BaseModel):

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        return self.fc(inputs)


@pytest.mark.skipif(
    get_device() != 'cpu', reason='MMEngine puts the model on a GPU here')
def test_one_rank_runner_on_the_cpu(on_cpu, monkeypatch, tmp_path):
    """MMEngine's Runner with ``launcher='pytorch'``, as mmaction2's tools
    build it: gloo for the config's nccl, DDP without device_ids."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    for key, value in dict(
            RANK='0',
            WORLD_SIZE='1',
            MASTER_ADDR='127.0.0.1',
            MASTER_PORT=str(port)).items():
        monkeypatch.setenv(key, value)
    # MMEngine alone reads it and sets the CUDA device 3.
    monkeypatch.setenv('LOCAL_RANK', '3')
    assert not torch_dist.is_initialized()
    try:
        runners = [
            Runner(
                model=_Linear(),
                work_dir=str(tmp_path / str(i)),
                launcher='pytorch',
                env_cfg=dict(dist_cfg=dict(backend='nccl', timeout=60)),
                cfg=dict(
                    model_wrapper_cfg=wrapper, find_unused_parameters=True))
            for i, wrapper in enumerate((
                None, dict(type='MMDistributedDataParallel')))
        ]
        assert torch_dist.get_backend() == 'gloo'
        for runner in runners:
            assert isinstance(runner.model, MMDistributedDataParallel)
            assert runner.model.device_ids is None
        assert runners[0].model.find_unused_parameters
        assert not runners[1].model.find_unused_parameters
    finally:
        if torch_dist.is_initialized():
            torch_dist.destroy_process_group()
