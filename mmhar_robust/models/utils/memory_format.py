"""Channels-last layout for batches of 3D clips."""
import torch


def clips_channels_last(inputs: torch.Tensor) -> torch.Tensor:
    """Lay out ``(N, num_clips, C, T, H, W)`` so that every clip is
    ``channels_last_3d`` (C innermost in memory); other tensors pass through.

    On CPU, oneDNN's 3D convolutions run about 1.4-1.6x faster forward and
    backward on this layout (benchmarks/bench_contrastive_step.py). The result
    still views as ``(N * num_clips, C, T, H, W)`` without a copy, as
    mmaction2's ``Recognizer3D`` does.
    """
    if inputs.dim() != 6:
        return inputs
    flat = inputs.flatten(0, 1)
    if flat.is_contiguous(memory_format=torch.channels_last_3d):
        return inputs
    return flat.contiguous(memory_format=torch.channels_last_3d).view(
        inputs.shape)

