"""Torch renderers of mmaction2's ``GeneratePoseTarget`` heatmaps, batched.

Both functions draw, for a batch of samples at once, exactly what
``GeneratePoseTarget.generate_a_heatmap`` / ``generate_a_limb_heatmap`` draw
per person, frame and joint (or limb): a Gaussian of ``sigma`` scaled by the
score, inside the window ``[int(lo - 3 sigma), int(hi + 3 sigma)]`` of each
axis (``int`` truncates towards zero and is computed in float64 as numpy
does), and the maximum over persons. They run on the tensors' device.
"""
from typing import Sequence, Tuple

import torch
from torch import Tensor


def _window(lo: Tensor, hi: Tensor, sigma: float,
            size: int) -> Tuple[Tensor, Tensor]:
    """Start (inclusive) and stop (exclusive) pixel of the 3-sigma window."""
    start = torch.trunc(lo.double() - 3 * sigma).clamp(min=0)
    stop = (torch.trunc(hi.double() + 3 * sigma) + 1).clamp(max=size)
    return start, stop


def _inside(grid: Tensor, start: Tensor, stop: Tensor) -> Tensor:
    grid = grid.double()
    return (grid >= start[..., None]) & (grid < stop[..., None])


def _profile(mu: Tensor, size: int, sigma: float) -> Tensor:
    """Windowed 1-D Gaussian ``(..., size)`` around ``mu`` (float32)."""
    grid = torch.arange(size, dtype=torch.float32, device=mu.device)
    start, stop = _window(mu, mu, sigma, size)
    curve = torch.exp(-(grid - mu[..., None])**2 / 2 / sigma**2)
    return torch.where(_inside(grid, start, stop), curve, 0.)


def _axis(mu: Tensor, size: int, sigma: float,
          span: int) -> Tuple[Tensor, Tensor]:
    """Gaussian values and pixel indices ``(..., span)`` of each window;
    positions past the window get value 0 (and a valid index)."""
    start, stop = _window(mu, mu, sigma, size)
    pos = start[..., None] + torch.arange(span, device=mu.device)
    curve = torch.exp(-(pos.float() - mu[..., None])**2 / 2 / sigma**2)
    curve = torch.where(pos < stop[..., None], curve, 0.)
    return curve, pos.long().clamp(max=size - 1)


def scatter_keypoints(out: Tensor, keypoint: Tensor, value: Tensor,
                      sigma: float, channels: Sequence[Sequence[int]]) -> None:
    """Max-merge keypoint heatmaps into ``out`` ``(B, N', C, T, H, W)``.

    Only the pixels of each window are computed and scattered (a window is
    at most ``int(6 sigma) + 2`` pixels wide), which is what makes this
    fast: the heatmaps are mostly zeros.

    Args:
        out (Tensor): Contiguous volumes to update in place, with ``N'``
            clips of ``T`` frames per copy and ``len(channels)`` copies
            (the second one, if any, mirrored in x).
        keypoint (Tensor): Coordinates ``(B, M, F, V, 2)`` (x, y), float32,
            ``F = (N' / len(channels)) x T``.
        value (Tensor): Peak values ``(B, M, F, V)``, 0 where skipped.
        sigma (float): Gaussian sigma in pixels.
        channels (Sequence[Sequence[int]]): Per copy, the output channel of
            each joint.
    """
    batch, clips, num_c, clip_len, height, width = out.shape
    frames = keypoint.shape[2]
    span = int(6 * sigma) + 2
    col_y, row_y = _axis(keypoint[..., 1], height, sigma, span)
    col_x, row_x = _axis(keypoint[..., 0], width, sigma, span)
    src = ((col_y * value[..., None])[..., :, None] *
           col_x[..., None, :]).reshape(-1)
    dev = keypoint.device
    frame = torch.arange(frames, device=dev)
    sample = torch.arange(batch, device=dev)[:, None, None, None]
    flat = out.view(-1)
    per_copy = frames // clip_len
    for copy, channel in enumerate(channels):
        channel = torch.as_tensor(channel, device=dev)
        clip = frame // clip_len + copy * per_copy
        base = ((
            (sample * clips + clip[:, None]) * num_c + channel) * clip_len +
                (frame % clip_len)[:, None]) * height * width
        xs = row_x if copy == 0 else width - 1 - row_x
        index = (
            base[..., None, None] + row_y[..., :, None] * width +
            xs[..., None, :])
        flat.scatter_reduce_(0, index.reshape(-1), src, reduce='amax')


def render_limbs(out: Tensor, keypoint: Tensor, value: Tensor, sigma: float,
                 skeletons: Sequence[Sequence[int]], eps: float) -> None:
    """Max-merge limb heatmaps into ``out`` ``(L, B, F, H, W)``, limb ``i``
    into ``out[i]``. A limb's window can span the frame, so it is drawn
    densely.

    Args:
        out (Tensor): Heatmaps to update in place, ``(L, B, F, H, W)``.
        keypoint (Tensor): Coordinates ``(B, M, F, V, 2)`` (x, y), float32.
        value (Tensor): Scores ``(B, M, F, V)`` (ones without ``use_score``).
        sigma (float): Gaussian sigma in pixels.
        skeletons (Sequence[Sequence[int]]): Joint pairs of the limbs.
        eps (float): Limbs whose smaller end score is below it are skipped.
    """
    height, width = out.shape[-2:]
    dev = keypoint.device
    xs = torch.arange(width, dtype=torch.float32, device=dev)
    ys = torch.arange(height, dtype=torch.float32, device=dev)
    for index, (a, b) in enumerate(skeletons):
        start, end = keypoint[..., a, :], keypoint[..., b, :]  # (B, M, F, 2)
        coeff_v = torch.minimum(value[..., a], value[..., b])
        coeff_v = torch.where(coeff_v < eps, 0., coeff_v)
        x0, y0 = start[..., 0, None, None], start[..., 1, None, None]
        x1, y1 = end[..., 0, None, None], end[..., 1, None, None]
        gx, gy = xs[None, :], ys[:, None]
        d2_start = (gx - x0)**2 + (gy - y0)**2  # (B, M, F, H, W)
        d2_end = (gx - x1)**2 + (gy - y1)**2
        # numpy squares float32 scalars to float64, then uses the float32
        # rounding of the sum with the float32 arrays.
        d2_ab = (x0 - x1).double()**2 + (y0 - y1).double()**2
        d2_ab32 = d2_ab.float()
        coeff = (d2_start - d2_end + d2_ab32) / 2. / d2_ab32
        d2_line = (gx - (x0 + coeff * (x1 - x0)))**2 + \
            (gy - (y0 + coeff * (y1 - y0)))**2
        d2_seg = torch.where(coeff <= 0, d2_start,
                             torch.where(coeff >= 1, d2_end, d2_line))
        # mmaction2 sums these float32 distances in float64 (its int64
        # ``seg_dominate`` promotes them) and takes exp in float64.
        patch = torch.exp(-d2_seg.double() / 2. / sigma**2)
        # Window: the bounding box of both ends, widened by 3 sigma.
        sx, tx = _window(
            torch.minimum(start[..., 0], end[..., 0]),
            torch.maximum(start[..., 0], end[..., 0]), sigma, width)
        sy, ty = _window(
            torch.minimum(start[..., 1], end[..., 1]),
            torch.maximum(start[..., 1], end[..., 1]), sigma, height)
        inside = _inside(ys, sy, ty)[..., :, None] & \
            _inside(xs, sx, tx)[..., None, :]
        patch = torch.where(inside, patch * coeff_v[..., None, None],
                            0.).float()
        # Ends closer than one pixel: the start joint's keypoint heatmap.
        short = (d2_ab[..., 0, 0] < 1)
        if short.any():
            point = (
                _profile(start[..., 1], height, sigma)[..., :, None] *
                _profile(start[..., 0], width, sigma)[..., None, :])
            point = point * torch.where(coeff_v > 0, value[..., a],
                                        0.)[..., None, None]
            patch = torch.where(short[..., None, None], point, patch)
        torch.maximum(out[index], patch.amax(dim=1), out=out[index])
