"""Background reliance: how much of a CAM falls on the person.

For a CAM ``c >= 0`` and a person mask ``m`` (True on the person) of the same
shape, the in-person fraction is

    f = sum(c * m) / sum(c),

1 when all the evidence lies on the person, 0 when it all lies on the
background (seed 004 found RGB models looking at the background). Skeleton
GCNs see no background, so the notion does not apply to them (``None``).
"""
import csv
import json
import os.path as osp
from typing import Dict, Iterable, List, Optional

import cv2
import numpy as np


def in_person_fraction(cam: np.ndarray, mask: np.ndarray) -> Optional[float]:
    """The fraction of CAM mass inside ``mask``.

    Args:
        cam (np.ndarray): Non-negative importance, any shape.
        mask (np.ndarray): Boolean person mask of the same shape.

    Returns:
        float | None: In [0, 1]; None when the CAM is all zero.

    Raises:
        ValueError: when the shapes differ or the CAM has negative values.
    """
    cam = np.asarray(cam, dtype=np.float64)
    mask = np.asarray(mask, dtype=bool)
    if cam.shape != mask.shape:
        raise ValueError(f'CAM of shape {cam.shape} and person mask of shape '
                         f'{mask.shape} differ')
    if (cam < 0).any():
        raise ValueError('a CAM must be non-negative to measure its mass')
    total = cam.sum()
    if total <= 0:
        return None
    return float(cam[mask].sum() / total)


def mask_like(mask: np.ndarray, cam: np.ndarray) -> np.ndarray:
    """A ``(frames, H, W)`` person mask matched to a ``(clips, T, H', W')``
    CAM: frames split into clips (or one clip's mask repeated), then resized
    (nearest) to the CAM's spatial size.

    Raises:
        ValueError: when the frame counts cannot match.
    """
    mask = np.asarray(mask, dtype=bool)
    clips, t, h, w = cam.shape
    if mask.ndim != 3:
        raise ValueError(f'a person mask must be (T, H, W), got {mask.shape}')
    if mask.shape[0] == clips * t:
        mask = mask.reshape(clips, t, *mask.shape[1:])
    elif mask.shape[0] == t:
        mask = np.broadcast_to(mask, (clips, ) + mask.shape)
    else:
        raise ValueError(f'a person mask of {mask.shape[0]} frames does not '
                         f'fit a CAM of {clips} clips x {t} frames')
    if mask.shape[2:] != (h, w):
        frames = [
            cv2.resize(
                f.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST)
            for f in mask.reshape(-1, *mask.shape[2:])
        ]
        mask = np.stack(frames).reshape(clips, t, h, w)
    return mask.astype(bool)


def summarize(fractions: Iterable[Optional[float]]) -> Dict[str, object]:
    """Mean in-person fraction over the samples that have one.

    Returns:
        dict: ``mean_in_person`` (None if no sample has a fraction),
        ``mean_background`` (1 - that), ``num_samples``, ``num_scored``.
    """
    fractions = list(fractions)
    scored = [f for f in fractions if f is not None]
    mean = float(np.mean(scored)) if scored else None
    return dict(
        mean_in_person=mean,
        mean_background=None if mean is None else 1.0 - mean,
        num_samples=len(fractions),
        num_scored=len(scored))


def write_report(rows: List[Dict[str, object]], out_dir: str) -> str:
    """Per-sample rows plus their summary as ``reliance.json`` and
    ``reliance.csv`` in ``out_dir``; returns the JSON path."""
    summary = summarize(r['in_person'] for r in rows)
    path = osp.join(out_dir, 'reliance.json')
    with open(path, 'w') as f:
        json.dump(dict(samples=rows, summary=summary), f, indent=2)
    if rows:
        with open(osp.join(out_dir, 'reliance.csv'), 'w', newline='') as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return path
