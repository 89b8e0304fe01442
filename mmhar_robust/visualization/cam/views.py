"""Where each model-input frame lies in the decoded video frames.

A video test pipeline resizes, crops (``ThreeCrop``/``TenCrop``: several
views), flips, possibly lazily (``Fuse``). :class:`ViewTrace` follows a
pipeline run step by step through the keys mmaction2's transforms leave
(``img_shape``, ``crop_bbox``, ``flip``, ``lazy``) and keeps, per view, the
axis-aligned map from decoded-frame pixels to input pixels. The person mask
is drawn in the decoded frame and read through it; the CAM is drawn back
onto the decoded frames through it. Pixel ``(row, col)`` has its centre at
``(x=col, y=row)``; a resize by ``s`` maps ``x`` to ``(x + 0.5) * s - 0.5``,
as ``cv2.resize`` does.
"""
import copy
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

# Decoded frames are kept for drawing at most this size (longer side).
DISPLAY_SIDE = 320


@dataclass(frozen=True)
class View:
    """``x_in = scale[0] * x + offset[0]``, ``y_in = scale[1] * y +
    offset[1]`` from decoded-frame pixels to the pixels of an input frame of
    ``shape`` ``(h, w)`` (a negative scale: flipped)."""
    scale: Tuple[float, float]
    offset: Tuple[float, float]
    shape: Tuple[int, int]

    @classmethod
    def identity(cls, shape: Sequence[int]) -> 'View':
        return cls((1.0, 1.0), (0.0, 0.0), (int(shape[0]), int(shape[1])))

    def resized(self, shape: Sequence[int]) -> 'View':
        """The view after resizing its frame to ``shape`` ``(h, w)``."""
        ratio = (shape[1] / self.shape[1], shape[0] / self.shape[0])
        return View(
            tuple(s * r for s, r in zip(self.scale, ratio)),
            tuple((o + 0.5) * r - 0.5 for o, r in zip(self.offset, ratio)),
            (int(shape[0]), int(shape[1])))

    def cropped(self, left: float, top: float, shape: Sequence[int]) -> 'View':
        """The view after cropping ``shape`` from ``(left, top)``."""
        return View(self.scale, (self.offset[0] - left, self.offset[1] - top),
                    (int(shape[0]), int(shape[1])))

    def flipped(self, direction: str = 'horizontal') -> 'View':
        """The view after a flip (``'horizontal'`` or ``'vertical'``)."""
        axis = 0 if direction == 'horizontal' else 1
        size = self.shape[1] if axis == 0 else self.shape[0]
        scale, offset = list(self.scale), list(self.offset)
        scale[axis], offset[axis] = -scale[axis], size - 1 - offset[axis]
        return View(tuple(scale), tuple(offset), self.shape)

    def to_frame(self, x_in: np.ndarray, axis: int) -> np.ndarray:
        """Input coordinates along ``axis`` (0: x, 1: y) in the frame."""
        return (np.asarray(x_in, np.float64) -
                self.offset[axis]) / self.scale[axis]

    def to_input(self, x: np.ndarray, axis: int) -> np.ndarray:
        """Frame coordinates along ``axis`` (0: x, 1: y) in the input."""
        return self.scale[axis] * np.asarray(x, np.float64) + self.offset[axis]

    def sample(self, image: np.ndarray) -> np.ndarray:
        """The input-sized image of nearest frame pixels (False/0 where an
        input pixel's centre falls outside the frame)."""
        index = []
        for axis, (size, frame_size) in enumerate(
                zip(self.shape[::-1], image.shape[1::-1])):
            at = np.floor(self.to_frame(np.arange(size), axis) + 0.5)
            inside = (at >= 0) & (at < frame_size)
            index.append((np.clip(at, 0, frame_size - 1).astype(int), inside))
        (cols, col_in), (rows, row_in) = index
        out = image[rows[:, None], cols[None, :]]
        return np.where((row_in[:, None] & col_in[None, :]), out,
                        0).astype(image.dtype)


def _looks_decoded(imgs) -> bool:
    return (isinstance(imgs, (list, tuple)) and len(imgs) > 0
            and isinstance(imgs[0], np.ndarray) and imgs[0].dtype == np.uint8
            and imgs[0].ndim == 3 and imgs[0].shape[2] == 3)


class ViewTrace:
    """The views of a pipeline run, followed step by step.

    Call :meth:`snapshot` before each transform and :meth:`step` after it.
    The trace starts at the first step that leaves decoded uint8 RGB frames
    in ``imgs`` (the decoder); keypoint-only pipelines never start it.

    Args:
        keep_frames (bool): Keep the decoded frames (as a later step such as
            ``StripBackground`` leaves them, before any resize or crop) at
            most :data:`DISPLAY_SIDE` pixels long, to draw on.
            Defaults to True.

    Attributes:
        frame_shape (tuple | None): ``(h, w)`` of the decoded frames.
        num_frames (int): Decoded frames (``len(frame_inds)``).
        views (list[View] | None): One per crop, in ``imgs`` order.
        frames (np.ndarray | None): ``(num_frames, h', w', 3)`` kept frames.
        failure (str | None): Why the views could not be followed.
    """

    def __init__(self, keep_frames: bool = True) -> None:
        self.keep_frames = keep_frames
        self.frame_shape: Optional[Tuple[int, int]] = None
        self.num_frames = 0
        self.views: Optional[List[View]] = None
        self.frames: Optional[np.ndarray] = None
        self.failure: Optional[str] = None
        self._kept_from: Optional[np.ndarray] = None

    @property
    def started(self) -> bool:
        return self.frame_shape is not None

    @staticmethod
    def snapshot(results: Dict) -> Dict:
        """What :meth:`step` compares against (references, cheap)."""
        imgs = results.get('imgs')
        return dict(
            img_shape=results.get('img_shape'),
            crop_bbox=results.get('crop_bbox'),
            flip=results.get('flip'),
            lazy=copy.deepcopy(results.get('lazy')),
            count=len(imgs) if isinstance(imgs, (list, tuple)) else None,
            decoded=_looks_decoded(imgs))

    def step(self, name: str, before: Dict, results: Dict) -> None:
        """Follow one transform, ``name``, from ``before`` to ``results``."""
        imgs = results.get('imgs')
        if not self.started:
            if _looks_decoded(imgs) and not before['decoded']:
                self.frame_shape = tuple(imgs[0].shape[:2])
                self.num_frames = len(imgs)
                self.views = [View.identity(self.frame_shape)]
                self._keep(imgs)
            return
        if (self.failure is not None or 'lazy' in results
                or 'img_shape' not in results):
            return  # lazy ops wait for Fuse; packing ends the frames
        views = self.views
        if before['lazy'] is not None:  # Fuse applied them
            lazy = before['lazy']
            left, top, right, bottom = np.round(
                lazy['crop_bbox']).astype(int).tolist()
            views = [
                v.cropped(left, top, (bottom - top, right - left)).resized(
                    results['img_shape'][:2]) for v in views
            ]
            if lazy.get('flip'):
                views = [v.flipped(lazy['flip_direction']) for v in views]
        elif results.get('crop_bbox') is not before['crop_bbox']:
            views = self._crop(name, views, np.asarray(results['crop_bbox']),
                               before['count'])
        elif results.get('flip') and (not before['flip'] or 'Flip' in name):
            views = [
                v.flipped(results.get('flip_direction', 'horizontal'))
                for v in views
            ]
        elif results.get('img_shape') != before['img_shape']:
            views = [v.resized(results['img_shape'][:2]) for v in views]
        self.views = views if views is not None else self.views
        self._check(name, results)
        if all(v == View.identity(self.frame_shape) for v in self.views):
            self._keep(imgs)

    def _crop(self, name: str, views: List[View], bbox: np.ndarray,
              count: Optional[int]) -> Optional[List[View]]:
        if bbox.ndim == 1:
            x1, y1, x2, y2 = bbox.tolist()
            return [v.cropped(x1, y1, (y2 - y1, x2 - x1)) for v in views]
        # ThreeCrop/TenCrop: one box per output image, in groups of the
        # images there were; TenCrop's odd groups are flipped.
        if not count or len(bbox) % count:
            self.failure = f'{name} gave {len(bbox)} crop boxes for {count} ' \
                'images'
            return None
        out = []
        for group in range(len(bbox) // count):
            x1, y1, x2, y2 = bbox[group * count].tolist()
            for v in views:
                view = v.cropped(x1, y1, (y2 - y1, x2 - x1))
                flip = name == 'TenCrop' and group % 2 == 1
                out.append(view.flipped() if flip else view)
        return out

    def _check(self, name: str, results: Dict) -> None:
        if self.failure is not None:
            return
        shape = results.get('img_shape')
        imgs = results.get('imgs')
        expected = len(self.views) * self.num_frames
        if shape is not None and any(v.shape != tuple(shape[:2])
                                     for v in self.views):
            self.failure = (f'after {name} the frames are {tuple(shape[:2])}'
                            f', not the {self.views[0].shape} its crops and '
                            'resizes explain')
        elif isinstance(imgs, (list, tuple)) and len(imgs) != expected:
            self.failure = (f'after {name} there are {len(imgs)} images, not '
                            f'{len(self.views)} views x {self.num_frames} '
                            'frames')

    def _keep(self, imgs) -> None:
        if not (self.keep_frames and _looks_decoded(imgs)
                and len(imgs) == self.num_frames
                and tuple(imgs[0].shape[:2]) == self.frame_shape):
            return
        if self._kept_from is imgs[0]:
            return  # the same frames as last time
        self._kept_from = imgs[0]
        h, w = self.frame_shape
        factor = min(1.0, DISPLAY_SIDE / max(h, w))
        size = (max(1, round(w * factor)), max(1, round(h * factor)))
        self.frames = np.stack([
            cv2.resize(img, size, interpolation=cv2.INTER_AREA)
            if factor < 1 else img.copy() for img in imgs
        ])

    def display_view(self, view: View) -> View:
        """``view`` from the kept frames' pixels instead of the decoded
        frames' (the kept frames are a resize of the decoded ones)."""
        to_display = View.identity(self.frame_shape).resized(
            self.frames.shape[1:3])
        # display -> frame: x = (x_d - o) / s; then frame -> input.
        scale = tuple(v / d for v, d in zip(view.scale, to_display.scale))
        offset = tuple(
            vo - s * o
            for vo, s, o in zip(view.offset, scale, to_display.offset))
        return View(scale, offset, view.shape)
