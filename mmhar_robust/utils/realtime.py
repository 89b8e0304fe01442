"""A recognizer run on a video as if it were a live stream (seed 002's
real-time question): decode frame by frame, keep the last K frames, predict
every S frames, and time each step."""
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterator, List, Optional, Tuple

import cv2
import numpy as np
import torch
from mmcv.transforms import Compose
from mmengine.dataset import pseudo_collate

# Reading steps of mmaction2's pipelines: the stream replaces them.
READERS = ('DecordInit', 'DecordDecode', 'OpenCVInit', 'OpenCVDecode',
           'PyAVInit', 'PyAVDecode', 'PyAVDecodeMotionVector',
           'RawFrameDecode', 'SampleFrames', 'UniformSample',
           'UniformSampleFrames', 'DenseSampleFrames')


def stream_pipeline(pipeline_cfg: List[Dict]) -> Tuple[Compose, int]:
    """The test pipeline without its reading steps, and the model's clip
    length (``clip_len`` of its frame sampler).

    Raises:
        ValueError: The pipeline samples several clips or has no sampler.
    """
    clip_len = None
    for step in pipeline_cfg:
        if step['type'] in ('SampleFrames', 'UniformSample',
                            'UniformSampleFrames', 'DenseSampleFrames'):
            clip_len = int(step['clip_len'])
    if clip_len is None:
        raise ValueError('the test pipeline has no frame sampler with a '
                         'clip_len, so the model\'s clip length is unknown')
    kept = [dict(s) for s in pipeline_cfg if s['type'] not in READERS]
    return Compose(kept), clip_len


def read_frames(path: str) -> Tuple[Iterator[Tuple[np.ndarray, float]],
                                    float]:
    """A video's RGB frames, each with the seconds its decoding took, and
    the video's frame rate.

    Raises:
        ValueError: The file cannot be opened or has no decodable frame.
    """
    capture = cv2.VideoCapture(path)
    if not capture.isOpened():
        raise ValueError(f'video {path!r} cannot be opened or decoded')
    fps = capture.get(cv2.CAP_PROP_FPS) or 0.0
    start = time.perf_counter()
    ok, first = capture.read()
    first_time = time.perf_counter() - start
    if not ok:
        capture.release()
        raise ValueError(f'video {path!r} has no decodable frame')

    def frames():
        try:
            yield cv2.cvtColor(first, cv2.COLOR_BGR2RGB), first_time
            while True:
                start = time.perf_counter()
                ok, frame = capture.read()
                if not ok:
                    return
                frame = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
                yield frame, time.perf_counter() - start
        finally:
            capture.release()

    return frames(), fps


@dataclass
class Prediction:
    """One window's prediction and what it cost (seconds)."""
    index: int
    end_frame: int  # the window's last frame, 0-based
    label: int
    score: float
    decode: float
    pipeline: float
    forward: float
    frames: Optional[np.ndarray] = field(default=None, repr=False)

    @property
    def total(self) -> float:
        return self.decode + self.pipeline + self.forward


def _sync(device: torch.device) -> None:
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def run_stream(model: torch.nn.Module,
               pipeline: Callable,
               video: str,
               window: int,
               stride: int,
               max_predictions: Optional[int] = None,
               keep_frames: bool = False) -> Tuple[List[Prediction], Dict]:
    """Slide a ``window``-frame buffer over ``video``, predicting every
    ``stride`` frames once it is full.

    Returns:
        tuple: The predictions, and a summary: ``video_fps``, ``frames``
        read, ``wall_s`` and ``sustained_fps`` (frames read per second of
        the whole loop, decoding included).

    Raises:
        ValueError: ``window`` or ``stride`` is below 1, the video cannot be
            decoded, or it ends before the window fills.
    """
    if window < 1 or stride < 1:
        raise ValueError(f'window and stride must be >= 1, got {window} and '
                         f'{stride}')
    device = next(model.parameters()).device
    frames, video_fps = read_frames(video)
    buffer: deque = deque(maxlen=window)
    predictions: List[Prediction] = []
    decode = 0.0
    count = 0
    start = time.perf_counter()
    for count, (frame, took) in enumerate(frames, 1):
        buffer.append(frame)
        decode += took
        if count < window or (count - window) % stride:
            continue
        t0 = time.perf_counter()
        data = pipeline(
            dict(imgs=list(buffer), img_shape=frame.shape[:2],
                 original_shape=frame.shape[:2], modality='RGB',
                 num_clips=1, clip_len=window, filename=video,
                 frame_inds=np.arange(count - window, count), start_index=0))
        t1 = time.perf_counter()
        with torch.no_grad():
            result = model.test_step(pseudo_collate([data]))[0]
        _sync(device)
        t2 = time.perf_counter()
        scores = result.pred_score.float().cpu()
        label = int(scores.argmax())
        predictions.append(
            Prediction(len(predictions), count - 1, label,
                       float(scores[label]), decode, t1 - t0, t2 - t1,
                       np.stack(buffer) if keep_frames else None))
        decode = 0.0
        if max_predictions and len(predictions) >= max_predictions:
            break
    wall = time.perf_counter() - start
    if not predictions:
        raise ValueError(f'video {video!r} ends after {count} frames, before '
                         f'the window of {window} frames fills')
    return predictions, dict(video_fps=video_fps, frames=count, wall_s=wall,
                             sustained_fps=count / wall if wall else 0.0)


def latency_summary(predictions: List[Prediction]) -> Dict[str, Dict]:
    """Median and 95th percentile, in milliseconds, of each step."""
    out = {}
    for step in ('decode', 'pipeline', 'forward', 'total'):
        values = np.array([getattr(p, step) for p in predictions]) * 1000
        out[step] = dict(median_ms=float(np.median(values)),
                         p95_ms=float(np.percentile(values, 95)))
    return out
