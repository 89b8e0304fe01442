"""The person mask of a sample, frame by frame of the model's input.

Video samples (RGB models): the mask is drawn in the decoded frame, from
the annotation's keypoints rescaled from the pose file's ``img_shape`` to the
decoded size (a video is often a resized copy of the one the poses were
estimated on), then read through each view of the input (every crop of
``ThreeCrop``/``TenCrop``, resizes, flips; see :mod:`.views`): an input pixel
is on the person when its centre falls on a person pixel of the decoded
frame. Keypoint-only samples (PoseC3D heatmaps): the mask is drawn from the
keypoints the pipeline carried to its end, in the heatmaps' own frame.

Keypoints that cannot be pixels (normalised to ``[0, 1]``, or at another
resolution with no ``img_shape`` to say so) and silhouettes of layouts with
no known bones are refused, naming the sample, before any CAM is computed
(:func:`check_mask`).
"""
from typing import Optional, Sequence, Tuple

import numpy as np

from ...datasets.transforms.background import (MASK_MODES, check_in_pixels,
                                               check_silhouette_layout,
                                               frame_keypoints, person_mask,
                                               valid_joints)
from .samples import Sample

Edge = Tuple[int, int]


def _video_pose(sample: Sample):
    """Keypoints and scores of the decoded frames, in their pixels."""
    pose, trace = sample.pose, sample.views
    if trace.failure is not None:
        raise ValueError(f'sample {sample.name}: cannot place the person '
                         f'mask on the model input: {trace.failure} '
                         f'(pipeline {list(sample.transforms)})')
    raw = sample.raw
    if 'frame_inds' not in raw:
        raise ValueError(f'sample {sample.name}: the pipeline left no '
                         'frame_inds to match keypoints to frames')
    ids = np.asarray(raw['frame_inds']).reshape(-1).astype(np.int64) - int(
        raw.get('start_index', 0))
    keypoint = pose['keypoint']
    if len(ids) != trace.num_frames:
        raise ValueError(f'sample {sample.name}: {len(ids)} frame_inds for '
                         f'{trace.num_frames} decoded frames')
    if ids.min() < 0 or ids.max() >= keypoint.shape[1]:
        raise ValueError(
            f'sample {sample.name}: its frames {ids.min()}..{ids.max()} '
            f'reach past the {keypoint.shape[1]} frames of its keypoint')
    keypoint = keypoint[:, ids]
    score = pose['keypoint_score']
    score = None if score is None else np.asarray(score)[:, ids]
    valid = valid_joints(keypoint, score)
    name = f'sample {sample.name}'
    if pose['pose_shape'] is not None:  # in the frame they claim first
        check_in_pixels(keypoint, valid, pose['pose_shape'], name)
    keypoint = frame_keypoints(keypoint, pose['pose_shape'], trace.frame_shape)
    check_in_pixels(
        keypoint,
        valid,
        trace.frame_shape,
        name,
        hint='Give the pose annotation the img_shape (h, w) its keypoints '
        'were estimated in.')
    return keypoint, score


def _carried_pose(sample: Sample):
    """The keypoints the pipeline carried to its end (in the input frame)."""
    raw = sample.raw
    keypoint = np.asarray(raw['keypoint'], np.float64)[..., :2]
    score = raw.get('keypoint_score')
    score = (
        np.ones(keypoint.shape[:-1], np.float32)
        if score is None else np.asarray(score))
    if 'PoseDecode' not in sample.transforms and 'frame_inds' in raw:
        inds = np.asarray(raw['frame_inds']).reshape(-1) + raw.get('offset', 0)
        keypoint, score = keypoint[:, inds], score[:, inds]
    check_in_pixels(keypoint, valid_joints(keypoint, score),
                    raw['img_shape'][:2], f'sample {sample.name}')
    return keypoint, score


def _is_video(sample: Sample) -> bool:
    return sample.views is not None and sample.views.started


def check_mask(sample: Sample,
               mode: str = 'box',
               edges: Optional[Sequence[Edge]] = None) -> None:
    """Refuse, before any CAM is computed, a sample whose mask would fail
    or be silently wrong (see the module docstring).

    Raises:
        ValueError: naming the sample (and the field).
    """
    if mode not in MASK_MODES:
        raise ValueError(f'unknown mask {mode!r}; valid: {MASK_MODES}')
    if _is_video(sample):
        if sample.pose is None:
            return
        num_joints = sample.pose['keypoint'].shape[2]
        _video_pose(sample)
    elif 'keypoint' in sample.raw and 'img_shape' in sample.raw:
        num_joints = np.shape(sample.raw['keypoint'])[2]
        _carried_pose(sample)
    else:
        return
    if mode == 'silhouette':
        check_silhouette_layout(num_joints, edges, f'sample {sample.name}')


def person_mask_of(
        sample: Sample,
        mode: str = 'box',
        edges: Optional[Sequence[Edge]] = None) -> Optional[np.ndarray]:
    """``(frames, H, W)`` bool person mask of the model input, frames in
    input order (views, then clips, then time), or None when the sample
    has no keypoints.

    Args:
        sample (Sample): A pipeline output.
        mode (str): ``'box'`` or ``'silhouette'``. Defaults to 'box'.
        edges (Sequence[tuple], optional): Silhouette bones; None: the
            built-in layout's (COCO-17, NTU-25). Defaults to None.

    Raises:
        ValueError: see :func:`check_mask`.
    """
    check_mask(sample, mode, edges)
    if _is_video(sample):
        if sample.pose is None:
            return None
        keypoint, score = _video_pose(sample)
        trace = sample.views
        masks = np.zeros(
            (len(trace.views), trace.num_frames) + trace.views[0].shape, bool)
        for t in range(trace.num_frames):
            frame = person_mask(
                keypoint[:, t:t + 1],
                None if score is None else score[:, t:t + 1],
                img_shape=trace.frame_shape,
                mode=mode,
                edges=edges)[0]
            for v, view in enumerate(trace.views):
                masks[v, t] = view.sample(frame)
        return masks.reshape(-1, *masks.shape[2:])
    raw = sample.raw
    if 'keypoint' not in raw or 'img_shape' not in raw:
        return None
    keypoint, score = _carried_pose(sample)
    return person_mask(
        keypoint,
        score,
        img_shape=tuple(raw['img_shape'][:2]),
        mode=mode,
        edges=edges)
