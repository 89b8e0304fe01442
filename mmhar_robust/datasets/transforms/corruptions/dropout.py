"""Dropout corruptions: joints or whole frames go missing.

``level`` is the probability that a joint (or a frame) is lost. A lost joint is
written as mmaction2 writes a missed detection: coordinates 0 and score 0.
"""
from typing import Optional, Tuple

import numpy as np

Arrays = Tuple[np.ndarray, Optional[np.ndarray]]


def _drop(keypoint: np.ndarray, score: Optional[np.ndarray], lost: np.ndarray,
          visible: np.ndarray) -> Arrays:
    lost = lost & visible  # what is already missing stays as it was
    keypoint = keypoint.copy()
    keypoint[lost] = 0
    if score is not None:
        score = score.copy()
        score[lost] = 0
    return keypoint, score


def joint_dropout(keypoint: np.ndarray, score: Optional[np.ndarray],
                  visible: np.ndarray, level: float, unit: float,
                  rng: np.random.Generator) -> Arrays:
    """Each joint of each frame is lost with probability ``level``."""
    lost = rng.random(keypoint.shape[:3]) < level
    return _drop(keypoint, score, lost, visible)


def frame_dropout(keypoint: np.ndarray, score: Optional[np.ndarray],
                  visible: np.ndarray, level: float, unit: float,
                  rng: np.random.Generator) -> Arrays:
    """Each frame loses every joint of every person with probability
    ``level`` (the detector missed the frame)."""
    lost_frames = rng.random(keypoint.shape[1]) < level
    lost = np.broadcast_to(lost_frames[None, :, None], keypoint.shape[:3])
    return _drop(keypoint, score, lost, visible)
