"""Remember the frame size the keypoints were annotated in, and bring
keypoints from that frame to the decoded one."""
from typing import Dict, Optional, Sequence

import numpy as np
from mmcv.transforms import BaseTransform

from ....registry import TRANSFORMS
from ....utils.sample import sample_name

# Keypoints this far outside the frame (a fraction of its size) cannot be in
# the frame's pixels: the annotation was made at another resolution.
OUTSIDE_TOLERANCE = 0.5
# Results keys mmaction2's geometric transforms leave behind (Resize,
# crops, Flip, lazy ops): after any of them the frames are no longer the
# decoded ones.
GEOMETRY_KEYS = ('scale_factor', 'crop_bbox', 'crop_quadruple', 'lazy', 'flip')


def rescale_keypoints(keypoint: np.ndarray, from_shape: Sequence[int],
                      to_shape: Sequence[int]) -> np.ndarray:
    """``(..., 2)`` keypoints in pixels of a ``from_shape`` ``(h, w)`` frame
    to pixels of the same view at ``to_shape``.

    With pixel ``(row, col)`` centred at ``(x=col, y=row)``, a frame resized
    by ``s`` maps ``x`` to ``(x + 0.5) * s - 0.5`` (what ``cv2.resize`` and
    video scalers do), so the frames' outer edges meet. Joints at exactly
    ``(0, 0)``, mmaction2's placeholder for a missed joint, stay there.
    """
    keypoint = np.asarray(keypoint, np.float64)
    scale = np.array(
        [to_shape[1] / from_shape[1], to_shape[0] / from_shape[0]])
    placeholder = (keypoint == 0).all(axis=-1, keepdims=True)
    return np.where(placeholder, 0.0, (keypoint + 0.5) * scale - 0.5)


def frame_keypoints(keypoint: np.ndarray, pose_shape: Optional[Sequence[int]],
                    frame_shape: Sequence[int]) -> np.ndarray:
    """Keypoints in pixels of the decoded frame: rescaled from
    ``pose_shape`` when it is known and differs, else as they are."""
    if pose_shape is None or tuple(pose_shape[:2]) == tuple(frame_shape[:2]):
        return np.asarray(keypoint, np.float64)
    return rescale_keypoints(keypoint, pose_shape, frame_shape)


def check_in_pixels(keypoint: np.ndarray,
                    valid: np.ndarray,
                    frame_shape: Sequence[int],
                    sample: str,
                    field: str = 'keypoint',
                    hint: str = '') -> None:
    """Refuse keypoints that cannot be pixels of a ``frame_shape`` frame.

    Two mistakes give masks that are silently empty: coordinates normalised
    to ``[0, 1]`` (every valid joint within one pixel of the origin of a
    frame larger than that), and an annotation made at another resolution
    (joints far outside the frame).

    Args:
        keypoint (np.ndarray): ``(..., 2)`` coordinates.
        valid (np.ndarray): Which joints count, shaped ``keypoint.shape[:-1]``.
        frame_shape (Sequence[int]): ``(h, w)`` of the frame.
        sample (str): The sample's name.
        field (str): The field named in the message. Defaults to 'keypoint'.
        hint (str): Advice appended to the far-outside message.
            Defaults to ''.

    Raises:
        ValueError: naming the sample and the field.
    """
    if not valid.any():
        return
    xy = np.asarray(keypoint)[valid][:, :2]
    h, w = int(frame_shape[0]), int(frame_shape[1])
    if max(h, w) > 2 and np.abs(xy).max() <= 1.0:
        raise ValueError(
            f'{sample}: {field} lies within [-1, 1] '
            f'({xy.min(0).round(3).tolist()}..{xy.max(0).round(3).tolist()}'
            f' (x, y)), coordinates normalised to the frame, not pixels of '
            f'the {w}x{h} frame; multiply them by (w, h) of the frame they '
            'were estimated in')
    low = -OUTSIDE_TOLERANCE * np.array([w, h])
    high = (1 + OUTSIDE_TOLERANCE) * np.array([w, h])
    if (xy < low).any() or (xy > high).any():
        message = (f'{sample}: {field} reaches {xy.min(0).round(1).tolist()}'
                   f'..{xy.max(0).round(1).tolist()} (x, y), far outside the '
                   f'{w}x{h} frame: the annotation is at another resolution.')
        raise ValueError(f'{message} {hint}' if hint else message)


def check_untransformed(results: Dict, who: str) -> None:
    """Refuse frames that a Resize, crop or flip has changed since decoding
    when the keypoints are still in the annotation's frame (``pose_shape``):
    rescaling them to the current frame would apply that resize twice.

    Raises:
        ValueError: naming the sample and the keys found.
    """
    done = [k for k in GEOMETRY_KEYS if k in results]
    if 'pose_shape' in results and done:
        name = sample_name(results, with_key=True)
        raise ValueError(
            f'{who}: {name} has {done}: a Resize, crop or '
            'flip ran between the decoder and it, so its keypoints (still in '
            f'the annotation\'s {tuple(results["pose_shape"][:2])} frame) '
            'would be scaled twice; put it right after the decoder')


@TRANSFORMS.register_module()
class RecordPoseShape(BaseTransform):
    """Keep the annotation's ``img_shape`` as ``pose_shape``.

    mmaction2's video decoders (``DecordDecode``, ``OpenCVDecode``,
    ``PyAVDecode`` ...) overwrite ``img_shape`` and ``original_shape`` with the
    decoded frame's size, so the size the pose annotation was made in is lost
    by the time :class:`StripBackground` runs. Put this transform before the
    decoder whenever the video may have another resolution than the one the
    keypoints were estimated in; :class:`StripBackground` then rescales the
    keypoints to the decoded frames (those it draws the mask from and those
    that travel on) and removes ``pose_shape``.

    Required Keys:

        - img_shape (the pose annotation's ``(h, w)``)

    Added Keys:

        - pose_shape

    Raises:
        ValueError: The sample has no ``img_shape``.
    """

    def transform(self, results: Dict) -> Dict:
        """Copy ``img_shape`` to ``pose_shape``."""
        if 'img_shape' not in results:
            name = sample_name(results, with_key=True)
            raise ValueError(
                f'RecordPoseShape: {name} has no img_shape; '
                'the pose annotation must give the (h, w) its keypoints are '
                'in, and this transform must come before the video decoder')
        results['pose_shape'] = tuple(int(s) for s in results['img_shape'])
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}()'
