"""NTU-style skeleton normalisation, as BABEL's release applies it.

Seed 000 (section 3.2), after 2s-AGCN's ``pre_normalization``: pad null
frames, centre on the spine, rotate so that hip -> spine points along +Z and
the left -> right shoulder line along +X. A joint or frame that is all zeros
means "not observed" and stays zero through centring and rotation.
"""
from typing import Dict, Sequence

import numpy as np
from mmcv.transforms import BaseTransform

from ..validation import PoseAnnotationError
from ...registry import TRANSFORMS


def _keypoint(results: Dict, transform: str) -> np.ndarray:
    keypoint = results.get('keypoint')
    if not isinstance(keypoint, np.ndarray) or keypoint.ndim != 4:
        raise PoseAnnotationError(
            transform, 'needs keypoint (M, T, V, C), got '
            f'{getattr(keypoint, "shape", type(keypoint).__name__)}',
            sample=results.get('frame_dir'),
            field='keypoint')
    return keypoint


@TRANSFORMS.register_module()
class PadNullFrames(BaseTransform):
    """Fill each person's all-zero frames.

    ``mode='last'`` repeats the last valid frame before a null frame
    (leading null frames take the first valid frame). ``mode='loop'`` is
    2s-AGCN's and BABEL's padding: the valid frames are moved to the front
    and the sequence is repeated from its start to fill the rest. A person
    with no valid frame is left as it is.

    Required Keys:
        - keypoint

    Modified Keys:
        - keypoint

    Args:
        mode (str): ``'last'`` or ``'loop'``. Defaults to ``'last'``.
    """

    MODES = ('last', 'loop')

    def __init__(self, mode: str = 'last') -> None:
        if mode not in self.MODES:
            raise ValueError(f'mode must be one of {self.MODES}, got {mode!r}')
        self.mode = mode

    def transform(self, results: Dict) -> Dict:
        keypoint = _keypoint(results, 'PadNullFrames').copy()
        for person in keypoint:  # views: filled in place
            valid = np.any(person != 0, axis=(1, 2))
            if valid.all() or not valid.any():
                continue
            if self.mode == 'last':
                # Index of the latest valid frame at or before each frame.
                last = np.maximum.accumulate(
                    np.where(valid, np.arange(len(valid)), -1))
                last[last < 0] = np.argmax(valid)
                person[:] = person[last]
            else:
                kept = person[valid]
                reps = -(-len(person) // len(kept))
                person[:] = np.concatenate([kept] * reps)[:len(person)]
        results['keypoint'] = keypoint
        return results

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(mode='{self.mode}')"


@TRANSFORMS.register_module()
class CenterSkeleton(BaseTransform):
    """Subtract a centre joint of the first person from every joint.

    Required Keys:
        - keypoint

    Modified Keys:
        - keypoint

    Args:
        joint (int): The centre joint; 1 is NTU's middle of the spine.
            Defaults to 1.
        per_frame (bool): Subtract each frame's own centre (2s-AGCN, BABEL),
            which also removes the global path; False subtracts the first
            valid frame's centre from all frames (mmaction2's
            ``PreNormalize3D``). Defaults to True.
    """

    def __init__(self, joint: int = 1, per_frame: bool = True) -> None:
        self.joint = joint
        self.per_frame = per_frame

    def transform(self, results: Dict) -> Dict:
        keypoint = _keypoint(results, 'CenterSkeleton')
        observed = np.any(keypoint != 0, axis=-1, keepdims=True)
        center = keypoint[0, :, self.joint]  # (T, C)
        has_center = np.any(center != 0, axis=-1)
        if not has_center.any():
            return results
        if not self.per_frame:
            center = np.broadcast_to(center[np.argmax(has_center)],
                                     center.shape)
        centred = keypoint - center[None, :, None]
        results['keypoint'] = np.where(observed, centred,
                                       0).astype(keypoint.dtype)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(joint={self.joint}, '
                f'per_frame={self.per_frame})')


@TRANSFORMS.register_module()
class AlignSkeleton(BaseTransform):
    """Rotate 3D skeletons to a body-fixed frame.

    The rotation is taken from the first frame where the first person is
    observed and both axes are defined, and applied to every person and frame. In
    that frame ``z_axis[0] -> z_axis[1]`` becomes exactly +Z and the
    ``x_axis[0] -> x_axis[1]`` line, projected on the plane normal to it,
    becomes +X (2s-AGCN applies two successive rotations, which agree with
    this when the shoulders are perpendicular to the spine).

    Required Keys:
        - keypoint

    Modified Keys:
        - keypoint

    Args:
        z_axis (Sequence[int]): Joints from, to. Defaults to (0, 1), NTU's
            base and middle of the spine.
        x_axis (Sequence[int]): Joints from, to. Defaults to (4, 8), NTU's
            left and right shoulders.
    """

    def __init__(
        self, z_axis: Sequence[int] = (0, 1), x_axis: Sequence[int] = (4, 8)
    ) -> None:
        self.z_axis = tuple(z_axis)
        self.x_axis = tuple(x_axis)

    def rotation(self, frame: np.ndarray) -> np.ndarray:
        """The 3 x 3 matrix whose rows are the new axes for one frame."""
        z = frame[self.z_axis[1]] - frame[self.z_axis[0]]
        x = frame[self.x_axis[1]] - frame[self.x_axis[0]]
        z = z / np.linalg.norm(z)
        x = x - np.dot(x, z) * z
        x = x / np.linalg.norm(x)
        return np.stack([x, np.cross(z, x), z])

    def transform(self, results: Dict) -> Dict:
        keypoint = _keypoint(results, 'AlignSkeleton')
        if keypoint.shape[-1] != 3:
            raise PoseAnnotationError(
                'AlignSkeleton',
                f'needs 3D keypoints, got {keypoint.shape}',
                sample=results.get('frame_dir'),
                field='keypoint')
        joints = list(self.z_axis + self.x_axis)
        ref = keypoint[0][:, joints].astype(np.float64)  # (T, 4, 3)
        z = ref[:, 1] - ref[:, 0]
        x = ref[:, 3] - ref[:, 2]
        # A reference joint may sit exactly at the origin once centred, so
        # a frame is usable when the person is observed in it and the two
        # axes are defined.
        usable = (
            np.any(keypoint[0] != 0, axis=(1, 2))
            & (np.linalg.norm(z, axis=-1) > 1e-6)
            & (np.linalg.norm(np.cross(z, x), axis=-1) > 1e-6))
        if not usable.any():
            return results
        rot = self.rotation(keypoint[0, np.argmax(usable)].astype(np.float64))
        observed = np.any(keypoint != 0, axis=-1, keepdims=True)
        rotated = keypoint @ rot.T
        results['keypoint'] = np.where(observed, rotated,
                                       0).astype(keypoint.dtype)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(z_axis={self.z_axis}, '
                f'x_axis={self.x_axis})')
