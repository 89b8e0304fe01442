"""Workarounds for known breakages of the MMAction2 stack.

Each applies only when its problem is present; :func:`apply` applies them all
once, and :func:`mmhar_robust.print_environment` lists which ones acted.
"""
from .action_data_sample import gt_label, pred_score, with_gt_label
from .apply import apply
from .checkpoint import (CheckpointError, DamagedCheckpointError,
                         UnsafeCheckpointError, history_buffer_getattr,
                         load_checkpoint_file, mmengine_checkpoint_globals,
                         register_checkpoint_loader,
                         register_checkpoint_safe_globals)
from .distributed import (cpu_distributed_patched, cpu_model_wrapper_cfg,
                          cpu_process_group_kwargs, patch_cpu_distributed)
from .mmaction_localizers import (MissingDRN, drn_is_missing, drn_patched,
                                  patch_missing_drn)
from .torchvision_ops import (patch_torchvision_ops,
                              torchvision_extension_loads,
                              torchvision_ops_patched)

__all__ = [
    'apply', 'gt_label', 'pred_score', 'with_gt_label',
    'patch_torchvision_ops', 'torchvision_extension_loads',
    'torchvision_ops_patched', 'patch_missing_drn', 'drn_is_missing',
    'drn_patched', 'MissingDRN', 'register_checkpoint_safe_globals',
    'mmengine_checkpoint_globals', 'history_buffer_getattr',
    'load_checkpoint_file', 'register_checkpoint_loader', 'CheckpointError',
    'DamagedCheckpointError', 'UnsafeCheckpointError', 'patch_cpu_distributed',
    'cpu_distributed_patched', 'cpu_model_wrapper_cfg',
    'cpu_process_group_kwargs'
]
