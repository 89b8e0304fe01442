"""All-gather that lets gradients flow back to every rank's own slice."""
from typing import Tuple

import torch
import torch.distributed as dist
from mmengine.dist import get_rank, get_world_size, is_distributed


class _GatherWithGrad(torch.autograd.Function):
    """Forward: all_gather. Backward: sum every rank's gradient of the
    gathered tensor (all_reduce) and keep this rank's slice.

    ``torch.distributed.nn.all_gather`` needs all_to_all in its backward for
    non-NCCL backends, which gloo lacks on CPU; all_reduce works everywhere.
    """

    @staticmethod
    def forward(ctx, tensor: torch.Tensor) -> torch.Tensor:
        ctx.rank, ctx.size = get_rank(), tensor.shape[0]
        parts = [torch.empty_like(tensor) for _ in range(get_world_size())]
        dist.all_gather(parts, tensor.contiguous())
        return torch.cat(parts)

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        grad = grad.contiguous()
        dist.all_reduce(grad)
        start = ctx.rank * ctx.size
        return grad[start:start + ctx.size]


def gather_with_grad(tensor: torch.Tensor) -> Tuple[torch.Tensor, int]:
    """Concatenate ``tensor`` (first axis) over all ranks, differentiably.

    Every rank must pass the same number of rows (MMEngine's samplers pad the
    dataset so that ranks get equal batches).

    Returns:
        tuple: the gathered tensor, and the offset of this rank's rows in it.
        Outside distributed runs: ``(tensor, 0)``.
    """
    if not is_distributed() or get_world_size() == 1:
        return tensor, 0
    sizes = [torch.zeros(1, dtype=torch.long) for _ in range(get_world_size())]
    dist.all_gather(sizes, torch.tensor([tensor.shape[0]]))
    if len({int(s) for s in sizes}) != 1:
        raise RuntimeError(
            'contrastive negatives are gathered from all ranks, which needs '
            f'equal batch sizes per rank; got {[int(s) for s in sizes]}. '
            'Use a sampler that pads (DefaultSampler) or drop_last=True.')
    return _GatherWithGrad.apply(tensor), get_rank() * tensor.shape[0]
