"""Backgrounds borrowed from other clips or images, for ``fill='swap'``."""
import os.path as osp
from typing import Dict, Iterable, List, Optional, Sequence, Union

import cv2
import numpy as np
from mmengine.utils import scandir

from ....utils.sample import sample_name, sample_rng
from .fills import cover_resize

VIDEO_EXTS = ('.mp4', '.avi', '.mkv', '.mov', '.webm', '.m4v', '.mpg', '.mpeg',
              '.flv', '.wmv')
IMAGE_EXTS = ('.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff')
# OpenCV's frame count can overshoot the frames it can actually decode by a
# few at the end; step back at most this many before giving up.
MAX_STEP_BACK = 8


def resolve_sources(source: Union[str, Sequence[str]]) -> List[str]:
    """The video and image files named by ``source``.

    Args:
        source (str | Sequence[str]): A file, a directory (searched
            recursively for video and image files, sorted) or a list of
            either.

    Returns:
        list[str]: The files, in a stable order.

    Raises:
        FileNotFoundError: A named path does not exist.
        ValueError: Nothing usable was found, or a file has an unknown
            extension.
    """
    entries = [source] if isinstance(source, str) else list(source)
    files: List[str] = []
    for entry in entries:
        entry = str(entry)
        if osp.isdir(entry):
            found = scandir(
                entry,
                suffix=VIDEO_EXTS + IMAGE_EXTS,
                recursive=True,
                case_sensitive=False)
            files += sorted(osp.join(entry, f) for f in found)
        elif osp.isfile(entry):
            if not entry.lower().endswith(VIDEO_EXTS + IMAGE_EXTS):
                raise ValueError(f'swap_source file {entry!r} is neither a '
                                 f'video {VIDEO_EXTS} nor an image '
                                 f'{IMAGE_EXTS}')
            files.append(entry)
        else:
            raise FileNotFoundError(f'swap_source {entry!r} does not exist')
    if not files:
        raise ValueError(f'swap_source {source!r} holds no video or image '
                         'files')
    return files


def plate_sources(infos: Iterable[Dict],
                  root: str = '',
                  ann_file: str = '') -> Optional[List[str]]:
    """The folders of the annotations' ``plate`` videos (each clip's scene
    without the person, as the synthetic video set writes them), the default
    source of ``fill='swap'``.

    Args:
        infos (Iterable[dict]): The annotations (a dataset's data infos).
        root (str): Folder relative plates are joined to (the dataset's
            ``data_prefix['video']``). Defaults to ''.
        ann_file (str): The annotation file, for messages. Defaults to ''.

    Returns:
        list[str] | None: Sorted absolute folders; None when no annotation
        has a ``plate`` field.

    Raises:
        ValueError: naming the file, the sample and the field when some
            annotations have a ``plate`` and others do not, or a plate is
            not a path.
        FileNotFoundError: naming the same when a plate does not exist.
    """
    where = f' of {ann_file}' if ann_file else ''
    plates, missing = [], []
    for info in infos:
        name = sample_name(info, with_key=True)
        if 'plate' not in info:
            missing.append(name)
            continue
        plate = info['plate']
        if not isinstance(plate, str) or not plate:
            raise ValueError(f'annotation {name}{where}: field '
                             f"'plate' is {plate!r}, not a video path")
        path = osp.join(root, plate)
        if not osp.isfile(path):
            raise FileNotFoundError(
                f"annotation {name}{where}: its 'plate' {path!r}"
                ' does not exist')
        plates.append(path)
    if not plates:
        return None
    if missing:
        raise ValueError(
            f'{len(missing)} annotations{where} have no \'plate\' field '
            f'(first: {missing[0]}) while {len(plates)} have one: give every '
            'sample its background plate, or give swap_source (videos or '
            'images without people)')
    return sorted({osp.abspath(osp.dirname(p)) for p in plates})


def choose_source(files: Sequence[str],
                  seed: int,
                  identity,
                  own_file: Union[str, None] = None) -> str:
    """The source of one sample, fixed by ``(seed, sample identity)``.

    A sample never borrows from its own video when another source exists.
    """
    rng = sample_rng(seed, identity, 'strip_background_swap')
    index = int(rng.integers(len(files)))
    if own_file is not None and len(files) > 1:
        own = osp.abspath(own_file)
        if osp.abspath(files[index]) == own:
            index = (index + 1) % len(files)
    return files[index]


def _read_image(path: str, sample: str) -> np.ndarray:
    image = cv2.imread(path, cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError(f'cannot read swap image {path!r} (for sample '
                         f'{sample!r})')
    return image


def _read_video(path: str, positions: np.ndarray,
                sample: str) -> List[np.ndarray]:
    """Frames at relative positions in [0, 1) of a video, BGR.

    The video is decoded once, forward from one seek to the first wanted
    frame: a seek for every frame costs a decode from the last keyframe each
    time (about 1 s per frame on 1080p h264). Frames between wanted ones are
    only grabbed, not converted.
    """
    cap = cv2.VideoCapture(path)
    try:
        total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) if cap.isOpened() else 0
        if total <= 0:
            raise ValueError(f'cannot read swap video {path!r} (for sample '
                             f'{sample!r}): no decodable frames')
        wanted = np.minimum((positions * total).astype(int), total - 1)
        # The last frames the count promises may not decode: those are kept
        # as they pass, to step back to.
        tail = total - 1 - MAX_STEP_BACK
        position = max(0, min(int(wanted.min()), tail))
        if position > 0:
            cap.set(cv2.CAP_PROP_POS_FRAMES, position)
        decoded, last, ended = {}, None, False
        for index in np.unique(wanted).tolist():
            while not ended and position <= index:
                ended = not cap.grab()
                if not ended and (position == index or position >= tail):
                    ok, frame = cap.retrieve()
                    last = (position, frame) if ok else last
                position += 1
            if last is None or index - last[0] > MAX_STEP_BACK:
                raise ValueError(f'cannot read frame {index} of swap video '
                                 f'{path!r} (for sample {sample!r})')
            decoded[index] = last[1]
        return [decoded[i] for i in wanted]
    finally:
        cap.release()


def source_frames(path: str, positions: np.ndarray, height: int, width: int,
                  sample: str) -> np.ndarray:
    """RGB background frames from ``path`` at relative times ``positions``.

    Args:
        path (str): A video or image file (an image serves every frame).
        positions (np.ndarray): ``(T,)`` times in [0, 1) relative to the
            clip's video length; the same relative times are read.
        height (int): Output frame height.
        width (int): Output frame width.
        sample (str): The sample's name, for error messages.

    Returns:
        np.ndarray: ``(T, height, width, 3)`` uint8 RGB frames, resized to
        cover the frame and centre-cropped (aspect ratio kept).
    """
    if path.lower().endswith(IMAGE_EXTS):
        frames = [_read_image(path, sample)] * len(positions)
    else:
        frames = _read_video(path, positions, sample)
    cache = {}
    out = np.empty((len(frames), height, width, 3), dtype=np.uint8)
    for i, frame in enumerate(frames):
        key = id(frame)
        if key not in cache:
            resized = cover_resize(frame, height, width)
            cache[key] = cv2.cvtColor(resized, cv2.COLOR_BGR2RGB)
        out[i] = cache[key]
    return out
