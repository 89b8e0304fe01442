"""Which skeleton tokens the student does not see.

Two strategies over a ``(B, T', V)`` grid of tokens (time segments x
joints), both drawing from a ``torch.Generator`` the caller seeds (never the
global RNG):

- ``'random'`` (seed 003's "randomly drops part of the joints and time
  frames"): ``round(frame_ratio * T')`` time segments of each sequence are
  masked entirely, and in every segment ``round(joint_ratio * V)`` joints
  (different ones per segment). With the defaults (0.25, 0.4) about 55 % of
  the tokens are masked.
- ``'motion'`` (MAMP's motion-aware masking): ``round(ratio * T' * V)``
  tokens drawn without replacement with probability ``softmax(motion /
  tau)`` over the sequence's tokens, ``motion`` a token's mean absolute
  frame difference: moving joints are masked more often. MAMP uses 0.9 and
  tau 0.75.
"""
from typing import Optional

import torch

STRATEGIES = ('random', 'motion')


def check_ratio(value: float, field: str) -> float:
    """Return ``value`` if it is a number in ``[0, 1)``, else raise
    ``ValueError`` naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not 0.0 <= value < 1.0:
        raise ValueError(f'{field} must be a number in [0, 1), got {value!r}')
    return float(value)


def _top_k_mask(scores: torch.Tensor, k: int) -> torch.Tensor:
    """True at the ``k`` largest scores along the last axis."""
    mask = torch.zeros_like(scores, dtype=torch.bool)
    if k > 0:
        mask.scatter_(-1, scores.topk(k, dim=-1).indices, True)
    return mask


def random_mask(shape: torch.Size,
                frame_ratio: float,
                joint_ratio: float,
                generator: Optional[torch.Generator] = None,
                device: Optional[torch.device] = None) -> torch.Tensor:
    """Seed 003's masking of whole time segments and of joints.

    Args:
        shape (torch.Size): ``(B, T', V)``.
        frame_ratio (float): Share of time segments masked, in [0, 1).
        joint_ratio (float): Share of joints masked in each segment, in
            [0, 1).
        generator (torch.Generator, optional): Source of the draws, on
            ``device``. Defaults to None.
        device (torch.device, optional): Device of the mask.
            Defaults to None.

    Returns:
        torch.Tensor: ``(B, T', V)`` bool, True where masked.
    """
    b, t, v = shape
    frames = _top_k_mask(
        torch.rand(b, t, generator=generator, device=device),
        int(round(frame_ratio * t)))
    joints = _top_k_mask(
        torch.rand(b, t, v, generator=generator, device=device),
        int(round(joint_ratio * v)))
    return frames[:, :, None] | joints


def token_motion(patches: torch.Tensor, in_channels: int) -> torch.Tensor:
    """Per-frame motion ``x[t + 1] - x[t]`` of patch tokens, the last frame's
    zero, in the patches' layout.

    Args:
        patches (torch.Tensor): ``(B, T', V, p * C)`` (see
            ``SkeletonTransformer.patchify``).
        in_channels (int): ``C``.

    Returns:
        torch.Tensor: Same shape as ``patches``.
    """
    b, t, v, pc = patches.shape
    p = pc // in_channels
    frames = patches.reshape(b, t, v, p, in_channels).transpose(2, 3)
    frames = frames.reshape(b, t * p, v, in_channels)
    motion = torch.zeros_like(frames)
    motion[:, :-1] = frames[:, 1:] - frames[:, :-1]
    motion = motion.reshape(b, t, p, v, in_channels).transpose(2, 3)
    return motion.reshape(b, t, v, pc)


def motion_aware_mask(motion: torch.Tensor,
                      ratio: float,
                      tau: float = 0.75,
                      generator: Optional[torch.Generator] = None
                      ) -> torch.Tensor:
    """MAMP's motion-aware masking.

    Draws without replacement with the Gumbel top-k trick: the ``k`` largest
    ``log p + Gumbel`` are a sample of ``k`` tokens without replacement from
    ``p``.

    Args:
        motion (torch.Tensor): ``(B, T', V, ...)`` motion of each token
            (see :func:`token_motion`).
        ratio (float): Share of tokens masked, in [0, 1).
        tau (float): Softmax temperature (> 0). Defaults to 0.75.
        generator (torch.Generator, optional): Source of the draws, on the
            device of ``motion``. Defaults to None.

    Returns:
        torch.Tensor: ``(B, T', V)`` bool, True where masked.
    """
    b, t, v = motion.shape[:3]
    intensity = motion.abs().reshape(b, t * v, -1).mean(-1)
    log_p = torch.log_softmax(intensity / tau, dim=-1)
    uniform = torch.rand(
        log_p.shape, generator=generator, device=motion.device)
    gumbel = -torch.log(-torch.log(uniform.clamp(1e-10, 1 - 1e-7)))
    mask = _top_k_mask(log_p + gumbel, int(round(ratio * t * v)))
    return mask.reshape(b, t, v)
