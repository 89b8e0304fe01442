"""NTU-style skeleton normalisation, as BABEL's release applies it.

Seed 000 (section 3.2), after 2s-AGCN's ``pre_normalization``: pad null
frames, centre on the spine, rotate so that hip -> spine points along +Z and
the left -> right shoulder line along +X.

Which joints are present comes from the ``keypoint_visible`` mask (see
:mod:`.keypoint_visibility`), which every transform here records before it
moves anything: once centred, the centre joint sits at exactly (0, 0, 0) and
is still present. Absent joints are set to zero.

The reference is the **main person**: the one present (any joint) in the
most frames, the first slot on ties, as ``PreNormalize3D`` chooses it. An
empty slot 0 is thus skipped, and after :class:`PadNullFrames` (every
non-empty person present in every frame) it is the first non-empty slot. The
**reference frame** is the main person's first frame where the joints a
transform needs are present. A sample with no present joint is left as it
is; one whose main person never has those joints raises
:class:`PoseAnnotationError` naming the sample.
"""
from typing import Dict, Optional, Sequence

import numpy as np
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS
from ...utils.sample import sample_name
from ..validation import PoseAnnotationError
from .keypoint_visibility import VISIBLE_KEY, record_visibility
from .prenormalize import keep_main_person_frames, prenormalize3d_rotation


def _keypoint(results: Dict, transform: str) -> np.ndarray:
    keypoint = results.get('keypoint')
    if not isinstance(keypoint, np.ndarray) or keypoint.ndim != 4:
        raise PoseAnnotationError(
            transform, 'needs keypoint (M, T, V, C), got '
            f'{getattr(keypoint, "shape", type(keypoint).__name__)}',
            sample=sample_name(results),
            field='keypoint')
    return keypoint


def main_person(mask: np.ndarray) -> Optional[int]:
    """The slot present in the most frames of an ``(M, T, V)`` mask (the
    first on ties), or None when no joint is present."""
    frames = mask.any(axis=-1).sum(axis=-1)
    if frames.max(initial=0) == 0:
        return None
    return int(np.argmax(frames))


def last_present(present: np.ndarray) -> np.ndarray:
    """For each frame, the latest frame at or before it where ``present``
    holds; frames before the first such frame get the first."""
    last = np.maximum.accumulate(
        np.where(present, np.arange(len(present)), -1))
    last[last < 0] = np.argmax(present)
    return last


def _absent(results: Dict, transform: str, person: int, frames: int,
            what: str) -> PoseAnnotationError:
    return PoseAnnotationError(
        transform, f'the main person (slot {person}, present in {frames} '
        f'frames) has no frame with {what}',
        sample=sample_name(results),
        field='keypoint')


@TRANSFORMS.register_module()
class PadNullFrames(BaseTransform):
    """Fill each person's null frames (frames without a present joint).

    ``mode='last'`` repeats the last valid frame before a null frame
    (leading null frames take the first valid frame). ``mode='loop'`` is
    2s-AGCN's and BABEL's padding: the valid frames are moved to the front
    and the sequence is repeated from its start to fill the rest. A person
    with no valid frame is left as it is. A filled frame is a copy of its
    source frame, mask (and scores) included: its joints become present.

    Required Keys:
        - keypoint
        - keypoint_score (optional)
        - keypoint_visible (optional)

    Modified Keys:
        - keypoint
        - keypoint_score (optional)

    Added Keys:
        - keypoint_visible

    Args:
        mode (str): ``'last'`` or ``'loop'``. Defaults to ``'last'``.
    """

    MODES = ('last', 'loop')

    def __init__(self, mode: str = 'last') -> None:
        if mode not in self.MODES:
            raise ValueError(f'mode must be one of {self.MODES}, got {mode!r}')
        self.mode = mode

    def transform(self, results: Dict) -> Dict:
        _keypoint(results, 'PadNullFrames')
        mask = record_visibility(results)
        keys = [
            key for key in ('keypoint', 'keypoint_score', VISIBLE_KEY)
            if key in results
        ]
        arrays = {key: np.array(results[key]) for key in keys}  # copies
        for m, person in enumerate(mask):
            valid = person.any(axis=-1)
            if valid.all() or not valid.any():
                continue
            if self.mode == 'last':
                source = last_present(valid)
            else:
                kept = np.flatnonzero(valid)
                source = np.resize(kept, len(valid))  # repeats from start
            for key in keys:
                arrays[key][m] = arrays[key][m][source]
        results.update(arrays)
        return results

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(mode='{self.mode}')"


@TRANSFORMS.register_module()
class CenterSkeleton(BaseTransform):
    """Subtract the main person's centre joint from every present joint.

    Required Keys:
        - keypoint
        - keypoint_score (optional)
        - keypoint_visible (optional)

    Modified Keys:
        - keypoint

    Added Keys:
        - keypoint_visible
        - body_center (``per_frame=False``: the centre subtracted, as
          ``PreNormalize3D`` adds it)

    Args:
        joint (int): The centre joint; 1 is NTU's middle of the spine.
            Defaults to 1.
        per_frame (bool): Subtract each frame's own centre (2s-AGCN, BABEL),
            which also removes the global path; a frame where the centre is
            absent takes the latest earlier frame's (else the first present
            one's). False subtracts the centre of the reference frame (the
            first where the main person's centre is present) from all
            frames, as mmaction2's ``PreNormalize3D``. Defaults to True.
    """

    def __init__(self, joint: int = 1, per_frame: bool = True) -> None:
        self.joint = joint
        self.per_frame = per_frame

    def transform(self, results: Dict) -> Dict:
        keypoint = _keypoint(results, 'CenterSkeleton')
        if not -keypoint.shape[2] <= self.joint < keypoint.shape[2]:
            raise PoseAnnotationError(
                'CenterSkeleton', f'joint {self.joint} is out of range for '
                f'{keypoint.shape[2]} joints',
                sample=sample_name(results),
                field='keypoint')
        mask = record_visibility(results)
        main = main_person(mask)
        if main is None:
            return results
        has_center = mask[main, :, self.joint]
        if not has_center.any():
            raise _absent(results, 'CenterSkeleton', main,
                          int(mask[main].any(-1).sum()),
                          f'its centre joint {self.joint} present')
        if self.per_frame:
            center = keypoint[main, last_present(has_center), self.joint]
        else:
            center = keypoint[main, np.argmax(has_center), self.joint]
            results['body_center'] = center.copy()
            center = np.broadcast_to(center,
                                     keypoint.shape[1:2] + center.shape)
        centred = keypoint - center[None, :, None]
        results['keypoint'] = np.where(mask[..., None], centred,
                                       0).astype(keypoint.dtype)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(joint={self.joint}, '
                f'per_frame={self.per_frame})')


@TRANSFORMS.register_module()
class AlignSkeleton(BaseTransform):
    """Rotate 3D skeletons to a body-fixed frame.

    One rotation, measured on the reference frame (the main person's first
    frame where the four axis joints are present and both axes are
    defined), is applied to every person and frame.

    - ``mode='spine'``: in the reference frame ``z_axis[0] -> z_axis[1]``
      becomes exactly +Z and the ``x_axis[0] -> x_axis[1]`` line, projected
      on the plane normal to it, +X. The result depends on the body only,
      not on the camera's viewpoint.
    - ``mode='prenormalize3d'``: mmaction2's ``PreNormalize3D`` (and
      2s-AGCN's) two rotations, spine onto +Z, then shoulders onto +X (see
      :mod:`.prenormalize`): the shoulders end exactly on +X and the spine
      keeps a tilt where the shoulders are not perpendicular to it. Like
      ``PreNormalize3D``, the main person moves to slot 0 and the frames
      without it are removed. After ``CenterSkeleton(per_frame=False)`` the
      result equals ``PreNormalize3D``'s whenever the main person's first
      frame has the centre and axis joints; where it lacks them,
      ``PreNormalize3D`` centres and rotates by absent (zero) joints.

    Required Keys:
        - keypoint
        - keypoint_score (optional)
        - keypoint_visible (optional)

    Modified Keys:
        - keypoint
        - keypoint_score (``mode='prenormalize3d'``, optional)
        - total_frames (``mode='prenormalize3d'``)

    Added Keys:
        - keypoint_visible

    Args:
        z_axis (Sequence[int]): Joints from, to. Defaults to (0, 1), NTU's
            base and middle of the spine.
        x_axis (Sequence[int]): Joints from, to. Defaults to (4, 8), NTU's
            left and right shoulders.
        mode (str): ``'spine'`` or ``'prenormalize3d'``.
            Defaults to 'spine'.
    """

    MODES = ('spine', 'prenormalize3d')

    def __init__(self,
                 z_axis: Sequence[int] = (0, 1),
                 x_axis: Sequence[int] = (4, 8),
                 mode: str = 'spine') -> None:
        if mode not in self.MODES:
            raise ValueError(f'mode must be one of {self.MODES}, got {mode!r}')
        self.z_axis = tuple(z_axis)
        self.x_axis = tuple(x_axis)
        self.mode = mode

    def rotation(self, frame: np.ndarray) -> np.ndarray:
        """The 3 x 3 matrix ``R`` of one frame (``keypoint @ R.T``)."""
        if self.mode == 'prenormalize3d':
            return prenormalize3d_rotation(frame, self.z_axis, self.x_axis)
        frame = frame.astype(np.float64)
        z = frame[self.z_axis[1]] - frame[self.z_axis[0]]
        x = frame[self.x_axis[1]] - frame[self.x_axis[0]]
        z = z / np.linalg.norm(z)
        x = x - np.dot(x, z) * z
        x = x / np.linalg.norm(x)
        return np.stack([x, np.cross(z, x), z])  # rows: the new axes

    def transform(self, results: Dict) -> Dict:
        keypoint = _keypoint(results, 'AlignSkeleton')
        if keypoint.shape[-1] != 3:
            raise PoseAnnotationError(
                'AlignSkeleton',
                f'needs 3D keypoints, got {keypoint.shape}',
                sample=sample_name(results),
                field='keypoint')
        mask = record_visibility(results)
        main = main_person(mask)
        if main is None:
            return results
        joints = list(self.z_axis + self.x_axis)
        ref = keypoint[main][:, joints].astype(np.float64)  # (T, 4, 3)
        z = ref[:, 1] - ref[:, 0]
        x = ref[:, 3] - ref[:, 2]
        usable = (
            mask[main][:, joints].all(axis=-1)
            & (np.linalg.norm(z, axis=-1) > 1e-6)
            & (np.linalg.norm(np.cross(z, x), axis=-1) > 1e-6))
        if not usable.any():
            raise _absent(
                results, 'AlignSkeleton', main, int(mask[main].any(-1).sum()),
                f'the axis joints {self.z_axis} and {self.x_axis} present '
                'and the axes not parallel')
        rot = self.rotation(keypoint[main, np.argmax(usable)])
        rotated = keypoint @ rot.T
        results['keypoint'] = np.where(mask[..., None], rotated,
                                       0).astype(keypoint.dtype)
        if self.mode == 'prenormalize3d':
            keep_main_person_frames(results, main)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(z_axis={self.z_axis}, '
                f"x_axis={self.x_axis}, mode='{self.mode}')")
