"""Remember the frame size the keypoints were annotated in."""
from typing import Dict

from mmcv.transforms import BaseTransform

from ....registry import TRANSFORMS


def sample_name(results: Dict) -> str:
    """The sample's name for error messages: ``frame_dir``, ``filename`` or
    ``sample_idx``."""
    for key in ('frame_dir', 'filename', 'sample_idx'):
        if key in results:
            return f'{key}={results[key]!r}'
    return 'an unnamed sample'


@TRANSFORMS.register_module()
class RecordPoseShape(BaseTransform):
    """Keep the annotation's ``img_shape`` as ``pose_shape``.

    mmaction2's video decoders (``DecordDecode``, ``OpenCVDecode``,
    ``PyAVDecode`` ...) overwrite ``img_shape`` and ``original_shape`` with the
    decoded frame's size, so the size the pose annotation was made in is lost
    by the time :class:`StripBackground` runs. Put this transform before the
    decoder whenever the video may have another resolution than the one the
    keypoints were estimated in; :class:`StripBackground` then rescales the
    keypoints to the decoded frames.

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
            raise ValueError(
                f'RecordPoseShape: {sample_name(results)} has no img_shape; '
                'the pose annotation must give the (h, w) its keypoints are '
                'in, and this transform must come before the video decoder')
        results['pose_shape'] = tuple(int(s) for s in results['img_shape'])
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}()'
