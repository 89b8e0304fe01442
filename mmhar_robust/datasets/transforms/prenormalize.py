"""The rotation and frame handling of mmaction2's ``PreNormalize3D``.

mmaction2 1.2.0's ``PreNormalize3D`` (after 2s-AGCN's ``pre_normalization``,
which BABEL's release followed) rotates in two steps, both measured on the
main person's first frame: hip -> spine onto +Z about the axis perpendicular
to both, then, on the rotated skeleton, the shoulder line onto +X about the
axis perpendicular to it and X. The shoulders end exactly on +X; the spine is
exact only when the shoulders are perpendicular to it, and the tilt it keeps
depends on the camera's viewpoint (the first step is the shortest rotation
from wherever the camera saw the spine). It also drops the frames where the
main person is absent and moves that person to slot 0.

:class:`~.skeleton_normalization.AlignSkeleton` with
``mode='prenormalize3d'`` uses these functions; its default mode builds one
body-fixed rotation instead.
"""
from typing import Dict, Sequence

import numpy as np

from .keypoint_visibility import VISIBLE_KEY

# PreNormalize3D's thresholds: a vector or axis whose absolute values sum to
# less than this, or an angle below it, means "no rotation".
_TINY = 1e-6


def rotation_onto(vector: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The shortest rotation taking ``vector``'s direction onto the unit
    ``target``, about their cross product, with ``PreNormalize3D``'s
    thresholds (a tiny vector, axis or angle gives the identity; so does a
    vector opposite to ``target``, whose cross product vanishes).

    Returns:
        np.ndarray: The 3 x 3 matrix ``R``; ``R @ vector`` points along
        ``target``.
    """
    axis = np.cross(vector, target)
    angle = 0.0
    if np.abs(vector).sum() >= _TINY:
        cos = np.dot(vector / np.linalg.norm(vector), target)
        angle = float(np.arccos(np.clip(cos, -1.0, 1.0)))
    if np.abs(axis).sum() < _TINY or abs(angle) < _TINY:
        return np.eye(3)
    k = axis / np.linalg.norm(axis)
    cross = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    # Rodrigues' formula: counterclockwise by ``angle`` about ``k``.
    return (np.eye(3) + np.sin(angle) * cross +
            (1 - np.cos(angle)) * cross @ cross)


def prenormalize3d_rotation(frame: np.ndarray, z_axis: Sequence[int],
                            x_axis: Sequence[int]) -> np.ndarray:
    """``PreNormalize3D``'s two rotations from one frame, as one matrix.

    Args:
        frame (np.ndarray): ``(V, 3)`` joints of the reference frame.
        z_axis (Sequence[int]): Joints from, to, rotated onto +Z first.
        x_axis (Sequence[int]): Joints from, to, then rotated onto +X.

    Returns:
        np.ndarray: ``R`` such that ``keypoint @ R.T`` is the result.
    """
    frame = frame.astype(np.float64)
    spine = frame[z_axis[1]] - frame[z_axis[0]]
    rot_z = rotation_onto(spine, np.array([0.0, 0.0, 1.0]))
    shoulders = rot_z @ (frame[x_axis[1]] - frame[x_axis[0]])
    rot_x = rotation_onto(shoulders, np.array([1.0, 0.0, 0.0]))
    return rot_x @ rot_z


def keep_main_person_frames(results: Dict, main: int) -> None:
    """``PreNormalize3D``'s frame handling, in place: the main person moves
    to slot 0 (the others keep their order), and the frames where it has no
    present joint are removed from ``keypoint``, ``keypoint_score`` and
    ``keypoint_visible``; ``total_frames`` becomes the number kept.

    Args:
        results (dict): The sample, carrying ``keypoint_visible``.
        main (int): The main person's slot.
    """
    mask = results[VISIBLE_KEY]
    order = [main] + [m for m in range(len(mask)) if m != main]
    kept = mask[main].any(axis=-1)
    for key in ('keypoint', 'keypoint_score', VISIBLE_KEY):
        if key in results:
            results[key] = results[key][order][:, kept]
    results['total_frames'] = int(kept.sum())
