"""Videos named in errors: a missing one before any work, a damaged one when
it is decoded.

mmaction2's readers do not say which file failed: ``DecordInit`` on a
damaged mp4 raises ``RuntimeError: Error reading 60 bytes...`` (decord's
``DECORDError`` when only the header survives), and ``OpenCVInit`` reads
zero frames without a word, so the clip fails later in ``OpenCVDecode``
with ``IndexError: "frame_id" must be between 0 and -1``. A missing file
names the file but not the sample. Datasets run their pipeline through
:func:`apply_pipeline` to turn these into errors that name the annotation
file, the sample and the video.
"""
import os.path as osp
from typing import Any, Dict, List, Optional

from mmengine.dataset import Compose

from ..utils.sample import sample_name

VIDEO_INITS = ('DecordInit', 'OpenCVInit', 'PyAVInit', 'PIMSInit')
VIDEO_READERS = VIDEO_INITS + ('DecordDecode', 'OpenCVDecode', 'PyAVDecode',
                               'PIMSDecode')


class VideoDecodeError(ValueError):
    """A sample's video cannot be decoded.

    Args:
        source (str): The annotation file.
        message (str): What went wrong.
        sample (str): The sample's name.
        path (str): The video file.
    """

    def __init__(self, source: str, message: str, sample: str,
                 path: str) -> None:
        self.source, self.sample, self.path = source, sample, path
        self.field = 'filename'
        super().__init__(
            f"{source}, sample {sample}, field 'filename': {message}")


def _is_one_of(transform: Any, names: tuple) -> bool:
    """Whether the transform is (a subclass of) one named in ``names``;
    by name, so that readers whose library is missing still count."""
    return any(cls.__name__ in names for cls in type(transform).__mro__)


def video_inits(pipeline: Compose) -> List[Any]:
    """The pipeline's video-opening transforms (``DecordInit``, ...)."""
    return [t for t in pipeline.transforms if _is_one_of(t, VIDEO_INITS)]


def video_exists(filename: str) -> bool:
    """Whether a local video is there (``DecordInit`` adds ``.mp4`` to a
    name without an extension)."""
    if osp.isfile(filename):
        return True
    return osp.splitext(filename)[1] == '' and osp.isfile(filename + '.mp4')


def check_video_files(data_list: List[Dict], source: str,
                      pipeline: Compose) -> None:
    """Refuse samples whose video is missing, before any work starts.

    Only pipelines that open videos from disk are checked; remote paths
    (``s3://`` ...) are left to their reader.

    Raises:
        FileNotFoundError: naming the annotation file, the first sample
            without its video, that video, and how many samples lack one.
    """
    inits = video_inits(pipeline)
    if not inits or any(
            getattr(t, 'io_backend', 'disk') != 'disk' for t in inits):
        return
    missing = [(i, item) for i, item in enumerate(data_list)
               if 'filename' in item and '://' not in str(item['filename'])
               and not video_exists(item['filename'])]
    if missing:
        index, item = missing[0]
        name = sample_name(item, index, quote=True)
        raise FileNotFoundError(
            f"{source}, sample {name}, field 'filename'"
            f": video file not found: {item['filename']} ({len(missing)} "
            f'of {len(data_list)} samples lack their video)')


def _first_line(err: Exception, limit: int = 300) -> str:
    text = ' '.join(str(err).split())
    return text if len(text) <= limit else text[:limit] + '...'


def apply_pipeline(pipeline: Compose, info: Dict, source: str,
                   index: int) -> Optional[Dict]:
    """Run ``pipeline`` on a sample as ``Compose`` does, naming its video
    when a video reader fails.

    Args:
        pipeline (Compose): The dataset's pipeline (read at each call, so
            transforms a loop inserts are run too).
        info (dict): The sample's annotation.
        source (str): The annotation file, for messages.
        index (int): The sample's index, for messages.

    Returns:
        dict | None: The transformed sample; None if a transform returned
        None (``Compose``'s rule).

    Raises:
        FileNotFoundError: the video disappeared since the dataset loaded.
        VideoDecodeError: a reader failed, or opened the video and found
            no frame (``OpenCVInit`` on a damaged file).
    """
    name = sample_name(info, index, quote=True)
    path = info.get('filename')
    data = info
    for transform in pipeline.transforms:
        reader = path is not None and _is_one_of(transform, VIDEO_READERS)
        try:
            data = transform(data)
        except FileNotFoundError as err:
            if not reader:
                raise
            raise FileNotFoundError(
                f"{source}, sample {name}, field 'filename': video file not "
                f'found: {path}') from err
        except Exception as err:
            if not reader:
                raise
            raise VideoDecodeError(
                source, f'cannot read the video {path}: '
                f'{type(transform).__name__} raised {type(err).__name__}: '
                f'{_first_line(err).rstrip(".")}. The file is damaged, '
                'truncated or not a video: copy or re-encode it, or drop the '
                'sample', name, path) from err
        if data is None:
            return None
        if reader and _is_one_of(transform, VIDEO_INITS) and data.get(
                'total_frames', 1) < 1:
            raise VideoDecodeError(
                source, f'no frame could be read from the video {path} '
                f'({type(transform).__name__} found 0 frames): it is '
                'damaged, truncated or not a video', name, path)
    return data
