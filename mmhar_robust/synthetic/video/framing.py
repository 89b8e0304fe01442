"""Frame a clip's people into a small video: one scale and shift per clip."""
from typing import Tuple

import numpy as np

from .painter import HEAD_RADIUS, torso_length


def fit_to_frame(
    keypoint: np.ndarray,
    keypoint_score: np.ndarray,
    img_shape: Tuple[int, int],
    fill: float = 0.85,
    shift: Tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """Map keypoints into a frame so that every person fits, whole clip long.

    The box around all visible joints of all frames, widened by a head radius
    (the head and limbs are drawn around the joints), is scaled uniformly to
    take ``fill`` of the frame's height or width, whichever is tighter, and
    centred, then moved by ``shift``.

    Args:
        keypoint (np.ndarray): ``(M, T, V, 2)`` in any pixel frame.
        keypoint_score (np.ndarray): ``(M, T, V)``; 0 marks a missed joint,
            kept at ``(0, 0)`` in the result (MMAction2's convention).
        img_shape (tuple): ``(height, width)`` of the target frame.
        fill (float): Share of the frame the widened box takes, in (0, 1].
            Defaults to 0.85.
        shift (tuple): ``(dx, dy)`` move of the box centre from the frame
            centre, as fractions of the free margin on that axis (each in
            ``[-1, 1]``; 1 puts the box against the right/bottom edge).
            Defaults to (0, 0).

    Returns:
        np.ndarray: float32 keypoints of the same shape, in the frame's pixels.
    """
    if not 0 < fill <= 1:
        raise ValueError(f'fill must be in (0, 1], got {fill}')
    valid = keypoint_score > 0
    if not valid.any():
        raise ValueError('no visible joint to frame (every keypoint_score is '
                         '0)')
    pad = max(HEAD_RADIUS * torso_length(keypoint[m], keypoint_score[m])
              for m in range(keypoint.shape[0]))
    points = keypoint[valid].astype(np.float64)
    low, high = points.min(axis=0) - pad, points.max(axis=0) + pad
    size = np.maximum(high - low, 1e-6)
    h, w = img_shape
    frame = np.array([w, h], np.float64)
    scale = fill * float(np.min(frame / size))
    margin = (frame - scale * size) / 2.0
    centre = frame / 2.0 + np.clip(np.asarray(shift, np.float64), -1,
                                   1) * margin
    out = (keypoint - (low + high) / 2.0) * scale + centre
    out[~valid] = 0.0
    return out.astype(np.float32)
