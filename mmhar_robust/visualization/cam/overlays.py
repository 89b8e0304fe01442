"""CAM overlays for 3D CNNs: RGB clips and PoseC3D heatmap volumes, as a
frame-grid PNG and an animated GIF. RGB CAMs are drawn on the decoded video
frames when the sample kept them (a 32 x 32 input says little about real
footage); otherwise on the model's input."""
import os.path as osp
from typing import List, Optional

import cv2
import numpy as np
import torch
from PIL import Image
from pytorch_grad_cam.utils.image import show_cam_on_image

from .views import View, ViewTrace

# Heatmap volumes are tiny (32 x 32 here): drawn at least this big.
MIN_SIDE = 128
# Brightness of the frame outside the view the model saw.
OUTSIDE_DIM = 0.4


def rgb_frames(
        inputs: torch.Tensor,
        data_preprocessor: Optional[torch.nn.Module] = None) -> np.ndarray:
    """One sample's preprocessed RGB input ``(clips, 3, T, H, W)`` back to
    ``(clips, T, H, W, 3)`` in [0, 1], undoing the preprocessor's
    normalisation (its ``mean``/``std`` buffers) when there is one."""
    x = inputs.detach().cpu().float()
    mean = getattr(data_preprocessor, 'mean', None)
    std = getattr(data_preprocessor, 'std', None)
    if mean is not None and std is not None:
        x = x * std.cpu().reshape(3, 1, 1, 1) + mean.cpu().reshape(3, 1, 1, 1)
        x = x / 255.0
    else:  # unknown range: stretch it
        x = (x - x.min()) / (x.max() - x.min() + 1e-8)
    return x.clamp(0, 1).permute(0, 2, 3, 4, 1).numpy()


def heatmap_frames(inputs: torch.Tensor) -> np.ndarray:
    """One sample's heatmap volume ``(clips, K, T, H, W)`` as grey frames
    ``(clips, T, H, W, 3)`` in [0, 1]: the K heatmaps summed, per clip
    scaled to a maximum of 1."""
    grey = inputs.detach().cpu().float().sum(dim=1)
    peak = grey.flatten(1).max(dim=1).values.clamp(min=1e-8)
    grey = (grey / peak[:, None, None, None]).clamp(0, 1)
    return grey[..., None].expand(*grey.shape, 3).numpy()


def overlay_clip(frames: np.ndarray,
                 cam: np.ndarray,
                 image_weight: float = 0.5) -> np.ndarray:
    """``(T, H, W, 3)`` frames in [0, 1] and a ``(T, H, W)`` CAM in [0, 1]
    -> ``(T, H, W, 3)`` uint8 RGB overlays (jet colour map)."""
    if frames.shape[:3] != cam.shape:
        raise ValueError(f'frames {frames.shape[:3]} and CAM {cam.shape} '
                         'differ in size')
    return np.stack([
        show_cam_on_image(
            np.float32(f),
            np.clip(c, 0, 1),
            use_rgb=True,
            image_weight=image_weight) for f, c in zip(frames, cam)
    ])


def _upscale(image: Image.Image) -> Image.Image:
    side = min(image.size)
    if side >= MIN_SIDE:
        return image
    factor = -(-MIN_SIDE // side)
    return image.resize((image.width * factor, image.height * factor),
                        Image.NEAREST)


def save_frame_grid(images: np.ndarray, path: str, cols: int = 8) -> str:
    """``(T, H, W, 3)`` uint8 frames tiled row by row into one PNG."""
    t, h, w, _ = images.shape
    cols = min(cols, t)
    rows = -(-t // cols)
    grid = np.zeros((rows * h, cols * w, 3), np.uint8)
    for i, image in enumerate(images):
        r, c = divmod(i, cols)
        grid[r * h:(r + 1) * h, c * w:(c + 1) * w] = image
    _upscale(Image.fromarray(grid)).save(path)
    return path


def save_gif(images: np.ndarray, path: str, fps: float = 8.0) -> str:
    """``(T, H, W, 3)`` uint8 frames as a looping animated GIF."""
    frames = [_upscale(Image.fromarray(image)) for image in images]
    frames[0].save(
        path,
        save_all=True,
        append_images=frames[1:],
        duration=int(1000 / fps),
        loop=0)
    return path


def save_volume_overlays(
        inputs: torch.Tensor,
        cam: np.ndarray,
        kind: str,
        out_dir: str,
        stem: str,
        data_preprocessor: Optional[torch.nn.Module] = None) -> List[str]:
    """Grid PNG and GIF of every clip of one sample.

    Args:
        inputs (Tensor): ``(clips, C, T, H, W)`` preprocessed input.
        cam (np.ndarray): ``(clips, T, H, W)`` CAM.
        kind (str): ``'rgb'`` or ``'heatmap'``.
        out_dir (str): Existing folder to write to.
        stem (str): File name prefix, e.g. ``'sample_5'``.
        data_preprocessor (nn.Module, optional): To undo RGB normalisation.
            Defaults to None.

    Returns:
        list[str]: The written paths.
    """
    frames = (
        rgb_frames(inputs, data_preprocessor)
        if kind == 'rgb' else heatmap_frames(inputs))
    paths = []
    for clip, (clip_frames, clip_cam) in enumerate(zip(frames, cam)):
        suffix = f'_clip{clip}' if len(cam) > 1 else ''
        images = overlay_clip(clip_frames, clip_cam)
        base = osp.join(out_dir, f'{stem}{suffix}')
        paths.append(save_frame_grid(images, base + '.png'))
        paths.append(save_gif(images, base + '.gif'))
    return paths


def overlay_on_frames(frames: np.ndarray,
                      cam: np.ndarray,
                      view: View,
                      image_weight: float = 0.5) -> np.ndarray:
    """A CAM of input frames drawn on the frames it was computed from.

    Args:
        frames (np.ndarray): ``(T, H, W, 3)`` uint8 RGB frames.
        cam (np.ndarray): ``(T, h, w)`` CAM in [0, 1] of the input frames.
        view (View): From the frames' pixels to the input's.
        image_weight (float): Weight of the frame in the blend.
            Defaults to 0.5.

    Returns:
        np.ndarray: ``(T, H, W, 3)`` uint8: inside the part of the frame the
        input shows, the CAM bilinearly upsampled (jet) over the frame;
        outside, the frame dimmed.
    """
    t, height, width = frames.shape[:3]
    if cam.shape != (t, ) + view.shape:
        raise ValueError(f'CAM {cam.shape} does not fit {t} frames of the '
                         f'{view.shape} view')
    x_in = view.to_input(np.arange(width), 0)
    y_in = view.to_input(np.arange(height), 1)
    inside = (((y_in >= -0.5) & (y_in < view.shape[0] - 0.5))[:, None]
              & ((x_in >= -0.5) & (x_in < view.shape[1] - 0.5))[None, :])
    map_x = np.broadcast_to(x_in[None, :], (height, width)).astype(np.float32)
    map_y = np.broadcast_to(y_in[:, None], (height, width)).astype(np.float32)
    out = np.empty_like(frames)
    for i, (frame, frame_cam) in enumerate(zip(frames, cam)):
        up = cv2.remap(
            np.float32(np.clip(frame_cam, 0, 1)),
            map_x,
            map_y,
            cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE)
        blend = show_cam_on_image(
            np.float32(frame) / 255,
            up,
            use_rgb=True,
            image_weight=image_weight)
        dim = np.uint8(np.round(frame * OUTSIDE_DIM))
        out[i] = np.where(inside[..., None], blend, dim)
    return out


def save_frame_overlays(trace: ViewTrace, cam: np.ndarray, out_dir: str,
                        stem: str) -> List[str]:
    """Grid PNG and GIF per clip of an RGB CAM drawn on the kept decoded
    frames (see :class:`ViewTrace`).

    Args:
        trace (ViewTrace): The sample's views, with ``frames``.
        cam (np.ndarray): ``(clips, T, h, w)`` CAM, clips ordered as the
            input's (views, then clips).
        out_dir (str): Existing folder to write to.
        stem (str): File name prefix.

    Returns:
        list[str]: The written paths, named as :func:`save_volume_overlays`
        names them.
    """
    clips, t = cam.shape[:2]
    if clips * t != len(trace.views) * trace.num_frames:
        raise ValueError(f'a CAM of {clips} clips x {t} frames does not fit '
                         f'{len(trace.views)} views x {trace.num_frames} '
                         'decoded frames')
    per_view = clips // len(trace.views)
    paths = []
    for clip in range(clips):
        view = trace.display_view(trace.views[clip // per_view])
        first = (clip % per_view) * t
        images = overlay_on_frames(trace.frames[first:first + t], cam[clip],
                                   view)
        suffix = f'_clip{clip}' if clips > 1 else ''
        base = osp.join(out_dir, f'{stem}{suffix}')
        paths.append(save_frame_grid(images, base + '.png'))
        paths.append(save_gif(images, base + '.gif'))
    return paths
