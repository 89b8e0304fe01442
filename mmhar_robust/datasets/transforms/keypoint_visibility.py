"""Which joints are present: from scores or an explicit mask, never from a
coordinate that happens to be zero.

Raw pose files write a missed joint (or an absent second person) as zeros, with
score 0 when there are scores. Once a skeleton is centred, a present joint can
sit exactly at the origin (the centre joint does in every frame), so zeros stop
meaning "missing". Our normalisation transforms therefore record the mask of
present joints as ``keypoint_visible`` before they move anything, and every
transform that needs to know reads it through :func:`keypoint_visibility`.

mmaction2's ``PoseDecode`` samples ``keypoint`` and ``keypoint_score`` along
time but not our mask; :func:`keypoint_visibility` applies the same frame
indices to a mask recorded before it.
"""
from typing import Dict

import numpy as np

from ...utils.sample import sample_name

VISIBLE_KEY = 'keypoint_visible'


def keypoint_visibility(results: Dict) -> np.ndarray:
    """The ``(M, T, V)`` mask of present joints of a sample.

    ``keypoint_visible`` when the sample carries it; else, with scores, the
    joints of positive score; else (raw 3D files, which pad with zeros) the
    joints that are not all-zero.

    Raises:
        ValueError: A carried mask does not fit the keypoints, naming the
            sample and the shapes.
    """
    keypoint = results['keypoint']
    mask = results.get(VISIBLE_KEY)
    if mask is None:
        score = results.get('keypoint_score')
        if score is not None:
            return np.asarray(score) > 0
        return np.any(keypoint != 0, axis=-1)
    mask = np.asarray(mask, dtype=bool)
    if mask.shape == keypoint.shape[:3]:
        return mask
    if 'frame_inds' in results and mask.shape[::2] == keypoint.shape[::2]:
        inds = np.asarray(results['frame_inds']).reshape(-1)
        inds = inds + results.get('offset', 0)
        if inds.size == keypoint.shape[1] and inds.max(initial=0) < len(
                mask[0]):
            return mask[:, inds]
    raise ValueError(
        f'sample {sample_name(results)!r}: {VISIBLE_KEY} has shape '
        f'{mask.shape} but keypoint {keypoint.shape}; a transform changed '
        'the keypoints without the mask')


def record_visibility(results: Dict) -> np.ndarray:
    """Store the sample's mask of present joints as ``keypoint_visible``
    (decoded to the current frames) and return it."""
    mask = keypoint_visibility(results)
    results[VISIBLE_KEY] = mask
    return mask
