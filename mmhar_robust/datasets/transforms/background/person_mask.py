"""Where the people are: per-frame masks drawn from 2D keypoints.

Pure functions shared by :class:`StripBackground` and the Grad-CAM tools
(which ask how much of a class activation map falls on the person). Pixel
``(row, col)`` has its centre at ``(x=col, y=row)``, OpenCV's convention, so
keypoints in pixels of the frame index the mask directly.
"""
import warnings
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np

from ..corruptions import visible_mask
# Re-exported: the COCO-17 layout was first defined here.
from .layouts import COCO17_EDGES, COCO17_HEAD, COCO17_POLYGONS  # noqa
from .layouts import layout_of

MASK_MODES = ('box', 'silhouette')

# Automatic limb width as a fraction of the person's size (the longer side of
# its keypoint box): about an arm's thickness plus room for keypoint error.
# It equals the default box margin (lines reach out half of it, the smallest
# head disc all of it), so a silhouette usually lies inside the default box.
LIMB_FRACTION = 0.1
# Head disc radius in units of the head joints' largest distance from their
# mean (at least one limb width): the joints sit on the face, the skull
# extends beyond them.
HEAD_SCALE = 2.0
_SHIFT = 4  # fixed-point bits for sub-pixel cv2 drawing
_ONE = 1 << _SHIFT
_FAR = float(1 << 20)  # clip coordinates so fixed point fits in int32


def valid_joints(keypoint: np.ndarray,
                 keypoint_score: Optional[np.ndarray] = None,
                 score_thr: float = 0.0) -> np.ndarray:
    """Joints to draw: finite, not at ``(0, 0)`` and scored above the
    threshold.

    Args:
        keypoint (np.ndarray): ``(..., 2)`` coordinates.
        keypoint_score (np.ndarray, optional): Scores of shape
            ``keypoint.shape[:-1]``. Defaults to None (every joint scored).
        score_thr (float): Joints with a score at or below it are ignored.
            Defaults to 0.0.

    Returns:
        np.ndarray: bool array of shape ``keypoint.shape[:-1]``.
    """
    finite = np.isfinite(keypoint).all(axis=-1)
    valid = finite & visible_mask(np.nan_to_num(keypoint))
    if keypoint_score is not None:
        valid &= keypoint_score > score_thr
    return valid


def _check(keypoint: np.ndarray, keypoint_score: Optional[np.ndarray],
           img_shape: Sequence[int], mode: str, margin: float,
           limb_width: Optional[float]) -> None:
    if keypoint.ndim != 4 or keypoint.shape[-1] != 2:
        raise ValueError('keypoint must have shape (M, T, V, 2) in pixels, '
                         f'got {keypoint.shape}')
    if (keypoint_score is not None
            and keypoint_score.shape != keypoint.shape[:-1]):
        raise ValueError(f'keypoint_score has shape {keypoint_score.shape}, '
                         f'expected {keypoint.shape[:-1]}')
    if len(img_shape) < 2 or min(img_shape[:2]) < 1:
        raise ValueError(f'img_shape must be (h, w), got {img_shape}')
    if mode not in MASK_MODES:
        raise ValueError(f'unknown mask mode {mode!r}; valid: {MASK_MODES}')
    if margin < 0:
        raise ValueError(f'margin must be >= 0, got {margin}')
    if limb_width is not None and limb_width <= 0:
        raise ValueError(f'limb_width must be > 0 pixels, got {limb_width}')


def _boxes(keypoint: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """``(M, T, 4)`` keypoint boxes ``x0, y0, x1, y1`` (NaN without
    joints)."""
    xy = np.where(valid[..., None], keypoint, np.nan)
    with warnings.catch_warnings():
        # An absent person is an all-NaN slice: NaN is the answer we want.
        warnings.simplefilter('ignore', RuntimeWarning)
        low, high = np.nanmin(xy, axis=2), np.nanmax(xy, axis=2)
    return np.concatenate([low, high], axis=-1)


def _box_mask(boxes: np.ndarray, margin: float, h: int, w: int) -> np.ndarray:
    size = np.maximum(boxes[..., 2] - boxes[..., 0],
                      boxes[..., 3] - boxes[..., 1])
    pad = (margin * size)[..., None]
    # Pixels whose centres lie inside the enlarged box, clipped to the frame.
    low = np.clip(np.ceil(boxes[..., :2] - pad), 0, [w, h])
    high = np.clip(np.floor(boxes[..., 2:] + pad) + 1, 0, [w, h])
    mask = np.zeros((boxes.shape[1], h, w), dtype=bool)
    for m, t in zip(*np.nonzero(~np.isnan(size))):
        x0, y0 = low[m, t].astype(int)
        x1, y1 = high[m, t].astype(int)
        mask[t, y0:y1, x0:x1] = True
    return mask


def _draw_person(canvas: np.ndarray, kp: np.ndarray, valid: np.ndarray,
                 width: float, edges: Sequence[Tuple[int, int]],
                 polygons: Sequence[Sequence[int]],
                 head: Sequence[int]) -> None:
    """Draw one person of one frame onto a uint8 canvas (value 1)."""
    # Invalid joints are never drawn; zero them so the cast is defined.
    kp = np.clip(np.where(valid[:, None], kp, 0.0), -_FAR, _FAR)
    fixed = np.round(kp * _ONE).astype(np.int32)
    points = [tuple(p) for p in fixed.tolist()]
    thickness = max(1, int(round(width)))
    radius = int(round(width / 2 * _ONE))
    for v in np.flatnonzero(valid).tolist():
        cv2.circle(canvas, points[v], radius, 1, -1, cv2.LINE_8, _SHIFT)
    for a, b in edges:
        if valid[a] and valid[b]:
            cv2.line(canvas, points[a], points[b], 1, thickness, cv2.LINE_8,
                     _SHIFT)
    for poly in polygons:
        if valid[list(poly)].all():
            cv2.fillPoly(canvas, [fixed[list(poly), None]], 1, cv2.LINE_8,
                         _SHIFT)
    head_pts = kp[[v for v in head if valid[v]]]
    if len(head_pts):
        centre = head_pts.mean(axis=0)
        spread = np.linalg.norm(head_pts - centre, axis=1).max()
        r = max(width, HEAD_SCALE * spread)
        cv2.circle(canvas, tuple(np.round(centre * _ONE).astype(int).tolist()),
                   int(round(r * _ONE)), 1, -1, cv2.LINE_8, _SHIFT)


def _silhouette_mask(keypoint: np.ndarray, valid: np.ndarray,
                     boxes: np.ndarray, limb_width: Optional[float], h: int,
                     w: int, edges, polygons, head) -> np.ndarray:
    num_person, num_frame = keypoint.shape[:2]
    mask = np.zeros((num_frame, h, w), dtype=bool)
    canvas = np.zeros((h, w), dtype=np.uint8)
    for t in range(num_frame):
        canvas[:] = 0
        for m in range(num_person):
            if not valid[m, t].any():
                continue
            width = limb_width
            if width is None:
                box = boxes[m, t]
                width = LIMB_FRACTION * max(box[2] - box[0], box[3] - box[1])
            _draw_person(canvas, keypoint[m, t], valid[m, t], width, edges,
                         polygons, head)
        mask[t] = canvas > 0
    return mask


def person_mask(keypoint: np.ndarray,
                keypoint_score: Optional[np.ndarray] = None,
                *,
                img_shape: Sequence[int],
                mode: str = 'box',
                margin: float = 0.1,
                limb_width: Optional[float] = None,
                score_thr: float = 0.0,
                edges: Optional[Sequence[Tuple[int, int]]] = None,
                polygons: Optional[Sequence[Sequence[int]]] = None,
                head: Optional[Sequence[int]] = None) -> np.ndarray:
    """Per-frame mask of the pixels covered by people, from 2D keypoints.

    A joint counts if it is finite, not at ``(0, 0)`` (mmaction2's "missing")
    and scored above ``score_thr``; a person with no such joint in a frame
    adds nothing to that frame. The mask is the union over persons.

    - ``'box'``: each person's keypoint bounding box, every side pushed out
      by ``margin x`` the box's longer side.
    - ``'silhouette'``: a body drawn along the skeleton with OpenCV: a disc
      on every joint, a thick line along every edge whose two joints count,
      filled ``polygons`` (the torso) when all their joints count, and a disc
      over the ``head`` joints.

    Args:
        keypoint (np.ndarray): ``(M, T, V, 2)`` ``x, y`` in pixels of the
            frame given by ``img_shape``.
        keypoint_score (np.ndarray, optional): ``(M, T, V)`` scores.
            Defaults to None.
        img_shape (Sequence[int]): ``(h, w)`` of the mask (keyword only).
        mode (str): ``'box'`` or ``'silhouette'``. Defaults to 'box'.
        margin (float): Box enlargement, a fraction of the box's longer side
            (``'box'`` only). Defaults to 0.1.
        limb_width (float, optional): Thickness of limbs in pixels. None:
            ``LIMB_FRACTION`` of each person's size in that frame.
            Defaults to None.
        score_thr (float): Joints scored at or below it are ignored.
            Defaults to 0.0.
        edges (Sequence[tuple], optional): Joint pairs to connect. None:
            the bones of the built-in layout with ``V`` joints (COCO-17 or
            NTU-25, see :mod:`.layouts`); required for other layouts.
            Defaults to None.
        polygons (Sequence[Sequence[int]], optional): Joint cycles to fill.
            None: the built-in layout's torso with default edges, else none.
            Defaults to None.
        head (Sequence[int], optional): Joints covered by the head disc.
            None: the built-in layout's head joints with default edges, else
            none. Defaults to None.

    Returns:
        np.ndarray: bool mask of shape ``(T, h, w)``.
    """
    keypoint = np.asarray(keypoint, dtype=np.float64)
    if keypoint_score is not None:
        keypoint_score = np.asarray(keypoint_score)
    _check(keypoint, keypoint_score, img_shape, mode, margin, limb_width)
    h, w = int(img_shape[0]), int(img_shape[1])
    valid = valid_joints(keypoint, keypoint_score, score_thr)
    boxes = _boxes(keypoint, valid)
    if mode == 'box':
        return _box_mask(boxes, margin, h, w)
    num_joints = keypoint.shape[2]
    if edges is None:
        layout = layout_of(num_joints)
        if layout is None:
            raise ValueError(f'keypoints have {num_joints} joints, a layout '
                             'with no built-in bones (COCO-17, NTU-25): the '
                             'silhouette needs `edges`')
        edges = layout.edges
        polygons = layout.polygons if polygons is None else polygons
        head = layout.head if head is None else head
    polygons, head = polygons or (), head or ()
    used = [v for e in edges for v in e] + [v for p in polygons for v in p]
    if any(not 0 <= v < num_joints for v in used + list(head)):
        raise ValueError(f'edges/polygons/head name a joint outside '
                         f'[0, {num_joints})')
    return _silhouette_mask(keypoint, valid, boxes, limb_width, h, w, edges,
                            polygons, head)
