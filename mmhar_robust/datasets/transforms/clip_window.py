"""Restrict frame sampling of a whole video to one clip of it."""
from typing import Dict

from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS
from ...utils.sample import sample_name


@TRANSFORMS.register_module()
class ClipWindow(BaseTransform):
    """Make the frame samplers see only the sample's clip of a long video.

    Datasets that cut clips out of long videos (``BASTDataset`` with
    ``video_dir``) give each sample the whole video's ``filename`` and the
    clip's frames. ``DecordInit``/``OpenCVInit``/``PyAVInit`` set
    ``total_frames`` to the whole video's length; put this transform right
    after them. It sets ``total_frames`` to the clip's length and moves
    ``start_index`` to the clip's first frame, so ``SampleFrames``,
    ``UniformSample`` and ``UniformSampleFrames`` (which draw offsets in
    ``[0, total_frames)`` and add ``start_index``) pick frames of the clip
    only, and the decoders read them from the video. Not for pose pipelines:
    a pose sample's keypoints are already cut to the clip.

    A video often decodes to a few frames fewer than the pose file that was
    made from it; a clip reaching past the video's end by at most
    ``max_missing_frames`` is shortened to the frames there are.

    Required Keys:

        - total_frames (the whole video's, from the ``*Init`` transform)
        - clip_start_frame
        - clip_num_frames
        - start_index (optional, 0 if absent)

    Modified Keys:

        - total_frames
        - start_index

    Added Keys:

        - video_total_frames

    Args:
        max_missing_frames (int): How many of the clip's frames may lie past
            the end of the video. Defaults to 5.
    """

    def __init__(self, max_missing_frames: int = 5) -> None:
        if max_missing_frames < 0:
            raise ValueError('max_missing_frames must be >= 0, got '
                             f'{max_missing_frames}')
        self.max_missing_frames = max_missing_frames

    def transform(self, results: Dict) -> Dict:
        """Narrow ``total_frames`` and ``start_index`` to the clip."""
        for key in ('total_frames', 'clip_start_frame', 'clip_num_frames'):
            if key not in results:
                raise KeyError(f'ClipWindow needs {key!r}; put it after '
                               'DecordInit/OpenCVInit on a dataset that cuts '
                               'clips (e.g. BASTDataset with video_dir)')
        video_frames = int(results['total_frames'])
        first = int(results['clip_start_frame'])
        wanted = int(results['clip_num_frames'])
        available = min(wanted, video_frames - first)
        if available < 1 or wanted - available > self.max_missing_frames:
            raise ValueError(
                f'{results.get("filename", "?")}, sample '
                f'{sample_name(results)}: the clip '
                f'(frames {first}-{first + wanted - 1}) lies past the end of '
                f'the video ({video_frames} frames) by more than '
                f'{self.max_missing_frames} frames')
        results['video_total_frames'] = video_frames
        results['start_index'] = results.get('start_index', 0) + first
        results['total_frames'] = available
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}('
                f'max_missing_frames={self.max_missing_frames})')
