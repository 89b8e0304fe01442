"""Write and read small videos with OpenCV, and measure what a codec lost.

``mp4v`` (MPEG-4 Part 2 in ``.mp4``) is what mmaction2's ``DecordInit`` and
``OpenCVInit`` read everywhere; it stores colour at half resolution (4:2:0),
so sharp colour edges blur by a pixel. ``FFV1`` (in ``.avi``) is lossless and
about five times larger.
"""
import os
import os.path as osp
from typing import Dict

import cv2
import numpy as np

CODEC_EXTENSIONS: Dict[str, str] = {'mp4v': '.mp4', 'FFV1': '.avi'}


def video_extension(fourcc: str) -> str:
    """The file extension that goes with a codec of :data:`CODEC_EXTENSIONS`.
    """
    if fourcc not in CODEC_EXTENSIONS:
        raise ValueError(f'unsupported fourcc {fourcc!r}; choose from '
                         f'{sorted(CODEC_EXTENSIONS)}')
    return CODEC_EXTENSIONS[fourcc]


def write_video(path: str,
                frames: np.ndarray,
                fps: float = 30.0,
                fourcc: str = 'mp4v') -> None:
    """Encode RGB frames to ``path``, atomically (a crash leaves no file).

    Args:
        path (str): Output file; its extension must match the codec.
        frames (np.ndarray): ``(T, H, W, 3)`` uint8 RGB.
        fps (float): Frame rate written in the file. Defaults to 30.
        fourcc (str): ``'mp4v'`` or ``'FFV1'``. Defaults to ``'mp4v'``.
    """
    ext = video_extension(fourcc)
    if osp.splitext(path)[1] != ext:
        raise ValueError(f'{path}: a {fourcc} video needs the extension '
                         f'{ext!r}')
    if frames.ndim != 4 or frames.shape[-1] != 3 or frames.dtype != np.uint8:
        raise ValueError(f'{path}: frames must be uint8 (T, H, W, 3), got '
                         f'{frames.dtype} {frames.shape}')
    height, width = frames.shape[1:3]
    tmp = osp.splitext(path)[0] + '.tmp' + ext
    writer = cv2.VideoWriter(tmp, cv2.VideoWriter_fourcc(*fourcc), fps,
                             (width, height))
    if not writer.isOpened():
        raise OSError(f'{path}: OpenCV cannot open a {fourcc} writer (is '
                      'its FFmpeg build missing the encoder?)')
    try:
        for frame in frames:
            writer.write(np.ascontiguousarray(frame[..., ::-1]))
    finally:
        writer.release()
    os.replace(tmp, path)


def read_video(path: str) -> np.ndarray:
    """Decode every frame of a video with OpenCV.

    Returns:
        np.ndarray: ``(T, H, W, 3)`` uint8 RGB.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'video not found: {path}')
    capture = cv2.VideoCapture(path)
    frames = []
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            frames.append(frame[..., ::-1])
    finally:
        capture.release()
    if not frames:
        raise ValueError(f'{path}: no frame could be decoded')
    return np.stack(frames)


def psnr(reference: np.ndarray, decoded: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB of 8-bit images or videos of any
    shape (inf if equal; ``cv2.PSNR`` would say 361)."""
    if reference.shape != decoded.shape:
        raise ValueError(f'shapes differ: {reference.shape} vs '
                         f'{decoded.shape}')
    if np.array_equal(reference, decoded):
        return float('inf')
    return float(cv2.PSNR(_one_row(reference), _one_row(decoded), 255.0))


def _one_row(values: np.ndarray) -> np.ndarray:
    """The values as one row: cv2 takes 2-D images (with channels) only, and
    PSNR is a mean over all values whatever their layout."""
    values = np.ascontiguousarray(values)
    if values.dtype != np.uint8:
        values = values.astype(np.float64)
    return values.reshape(1, -1)
