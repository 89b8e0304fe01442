"""Let ``--launcher pytorch`` run on a machine without a GPU.

MMEngine 0.10.7's ``init_dist`` calls ``torch.cuda.set_device`` before it
creates the process group, whatever the backend, and its ``Runner`` wraps the
model in ``MMDistributedDataParallel`` with ``device_ids=[LOCAL_RANK]``, which
PyTorch refuses for a model on the CPU. So ``torchrun ... --launcher pytorch``
fails on a CPU machine before the first iteration, under our tools and under
mmaction2's own ``tools/train.py`` and ``tools/test.py`` alike.

:func:`patch_cpu_distributed` (one of :func:`mmhar_robust.compat.apply`'s
fixes, so ``custom_imports`` installs it before mmaction2's tools build a
Runner) wraps the two places, and only when MMEngine will put the model on the
CPU (``mmengine.device.get_device() == 'cpu'``: no GPU, or
``CUDA_VISIBLE_DEVICES=-1``):

- ``mmengine.dist.utils._init_dist_pytorch``, which ``init_dist`` looks up at
  call time: the process group is created from torchrun's variables without a
  CUDA device, ``gloo`` in place of ``nccl``; ``--launcher slurm`` and ``mpi``
  (which need a CUDA device in MMEngine) stop with a message;
- ``Runner.wrap_model``: a DDP wrapper gets ``device_ids=None``.

With a GPU nothing is wrapped: MMEngine's own functions run as before.
"""
import datetime
import functools
import os
from typing import Callable, Dict, Optional

import torch.distributed as torch_dist
from mmengine.device import get_device
from mmengine.dist import utils as dist_utils
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.registry import MODEL_WRAPPERS
from torch.nn.parallel import DistributedDataParallel

# Backends that need CUDA; on the CPU they become gloo.
_GPU_BACKENDS = ('nccl', )
# Set on every function this module wraps: the patch is applied once.
_MARK = '_mmhar_robust_cpu_distributed'


def cpu_process_group_kwargs(dist_cfg: Optional[Dict]) -> Dict:
    """The ``init_process_group`` arguments for a config's ``dist_cfg`` on
    the CPU: ``nccl`` (MMEngine's default) becomes ``gloo``; ``timeout`` in
    seconds becomes a ``timedelta``, as MMEngine's ``init_dist`` does.

    Args:
        dist_cfg (dict, optional): ``env_cfg.dist_cfg`` of the config.
            Defaults to None (MMEngine's default, ``nccl``).

    Returns:
        dict: Keyword arguments of ``torch.distributed.init_process_group``.

    Raises:
        ValueError: ``init_backend`` is not ``'torch'`` (DeepSpeed and
            ColossalAI need a GPU), or ``timeout`` is not a number.
    """
    kwargs = dict(dist_cfg or {})
    backend = kwargs.pop('backend', 'nccl')
    init_backend = kwargs.pop('init_backend', 'torch')
    if init_backend != 'torch':
        raise ValueError(
            f'env_cfg.dist_cfg.init_backend={init_backend!r} needs a GPU; '
            'without one only init_backend=\'torch\' can run')
    timeout = kwargs.get('timeout')
    if timeout is not None and not isinstance(timeout, datetime.timedelta):
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool):
            raise ValueError('env_cfg.dist_cfg.timeout must be a number of '
                             f'seconds, got {timeout!r}')
        kwargs['timeout'] = datetime.timedelta(seconds=timeout)
    kwargs['backend'] = 'gloo' if backend in _GPU_BACKENDS else backend
    return kwargs


def cpu_model_wrapper_cfg(model_wrapper_cfg: Optional[Dict],
                          find_unused_parameters: bool = False) -> Dict:
    """The ``model_wrapper_cfg`` that lets MMEngine's ``Runner.wrap_model``
    wrap a CPU model: the runner's own default (``MMDistributedDataParallel``
    without buffer broadcast) or the config's wrapper, with
    ``device_ids=None`` when the wrapper is a ``DistributedDataParallel``.

    Args:
        model_wrapper_cfg (dict, optional): The config's wrapper. Defaults
            to None (MMEngine's default wrapper).
        find_unused_parameters (bool): The config's
            ``find_unused_parameters``, used by the default wrapper.
            Defaults to False.

    Returns:
        dict: The wrapper config (a copy; a type that is no DDP, or that is
        not registered, is left as it is for MMEngine to handle).
    """
    if model_wrapper_cfg is None:
        return dict(
            type='MMDistributedDataParallel',
            device_ids=None,
            broadcast_buffers=False,
            find_unused_parameters=find_unused_parameters)
    wrapper = dict(model_wrapper_cfg)
    wrapper_type = wrapper.get('type', 'MMDistributedDataParallel')
    if isinstance(wrapper_type, str):
        wrapper_type = MODEL_WRAPPERS.get(wrapper_type)
    if isinstance(wrapper_type, type) and issubclass(wrapper_type,
                                                     DistributedDataParallel):
        # PyTorch refuses device_ids for a module on the CPU.
        wrapper['device_ids'] = None
    return wrapper


def _on_cpu() -> bool:
    return get_device() == 'cpu'


def _init_dist_pytorch_on_cpu(original: Callable) -> Callable:
    """``_init_dist_pytorch`` that creates a CPU process group when the model
    will run on the CPU (gloo for nccl, no CUDA device)."""

    @functools.wraps(original)
    def init(backend: str = 'nccl', init_backend: str = 'torch', **kwargs):
        if not _on_cpu():
            return original(backend, init_backend=init_backend, **kwargs)
        if 'RANK' not in os.environ or 'WORLD_SIZE' not in os.environ:
            raise ValueError(
                '--launcher pytorch needs the RANK and WORLD_SIZE variables '
                'that torchrun sets: start the tool with torchrun '
                '--nproc_per_node N')
        kwargs = cpu_process_group_kwargs(
            dict(kwargs, backend=backend, init_backend=init_backend))
        torch_dist.init_process_group(**kwargs)
        if torch_dist.get_rank() == 0:
            print_log(
                f'no GPU: {torch_dist.get_world_size()} processes on the '
                f'CPU, {torch_dist.get_backend()} backend',
                logger='current')

    setattr(init, _MARK, True)
    return init


def _needs_gpu_on_cpu(original: Callable, launcher: str) -> Callable:
    """An ``_init_dist_<launcher>`` that stops with a message on the CPU
    (MMEngine sets a CUDA device for that launcher)."""

    @functools.wraps(original)
    def init(*args, **kwargs):
        if not _on_cpu():
            return original(*args, **kwargs)
        raise ValueError(
            f'--launcher {launcher} needs a GPU with MMEngine (it sets a '
            'CUDA device); on the CPU start the processes with torchrun and '
            '--launcher pytorch')

    setattr(init, _MARK, True)
    return init


def _wrap_model_on_cpu(original: Callable) -> Callable:
    """``Runner.wrap_model`` that gives a DDP wrapper ``device_ids=None``
    when a distributed runner's model runs on the CPU."""

    @functools.wraps(original)
    def wrap_model(self, model_wrapper_cfg, model):
        if _on_cpu() and self.distributed and not is_model_wrapper(model):
            unused = self.cfg.get('find_unused_parameters', False)
            model_wrapper_cfg = cpu_model_wrapper_cfg(model_wrapper_cfg,
                                                      unused)
        return original(self, model_wrapper_cfg, model)

    setattr(wrap_model, _MARK, True)
    return wrap_model


def _wrapped_functions() -> Dict[str, tuple]:
    """Each function the patch wraps: ``(owner, attribute, wrapper)``."""
    # Imported here: compat is imported before apply() fixes torchvision.
    from mmengine.runner import Runner
    functions = dict(
        pytorch=(dist_utils, '_init_dist_pytorch', _init_dist_pytorch_on_cpu),
        wrap_model=(Runner, 'wrap_model', _wrap_model_on_cpu))
    for launcher in ('slurm', 'mpi'):
        functions[launcher] = (dist_utils, f'_init_dist_{launcher}',
                               functools.partial(
                                   _needs_gpu_on_cpu, launcher=launcher))
    return functions


def cpu_distributed_patched() -> bool:
    """Whether MMEngine's process group set-up (``pytorch``, ``slurm`` and
    ``mpi`` launchers) and ``Runner.wrap_model`` are wrapped by
    :func:`patch_cpu_distributed`."""
    return all(
        getattr(getattr(owner, name), _MARK, False)
        for owner, name, _ in _wrapped_functions().values())


def patch_cpu_distributed() -> bool:
    """Wrap MMEngine's distributed set-up for the CPU; idempotent.

    Only on a machine where MMEngine puts models on the CPU: with a GPU (or
    an NPU, MLU or MPS device) MMEngine's functions are left alone.
    ``init_dist`` looks its ``_init_dist_<launcher>`` up in its module when
    it is called, and the Runner calls ``self.wrap_model``, so code that
    imported them before this call (mmaction2's tools import ``Runner``
    before the config's ``custom_imports``) gets the wrapped ones.

    Returns:
        bool: True if anything was wrapped by this call.
    """
    if not _on_cpu():
        return False
    changed = False
    for owner, name, make in _wrapped_functions().values():
        function = getattr(owner, name)
        if not getattr(function, _MARK, False):
            setattr(owner, name, make(function))
            changed = True
    return changed
