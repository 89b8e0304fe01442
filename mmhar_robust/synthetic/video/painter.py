"""Draw COCO-17 skeletons as people: filled limbs, a torso and a head.

Sizes follow the person's torso length in the picture (shoulder centre to hip
centre, 90th percentile over the clip), so widths are the same whether they
are computed from the drawn keypoints or from the annotation written next to
the video: :func:`render_person_mask` gives back exactly the pixels
:func:`draw_people` touched.
"""
import colorsys
from dataclasses import dataclass
from typing import Callable, Iterator, Optional, Tuple

import cv2
import numpy as np

_SHIFT = 4  # sub-pixel bits of cv2's drawing functions
_ONE = 1 << _SHIFT
_SKIN = ((255, 219, 172), (241, 194, 125), (224, 172, 105), (198, 134, 66),
         (141, 85, 36), (92, 56, 30))
_TROUSERS = ((40, 60, 110), (30, 30, 35), (110, 110, 115), (175, 150, 105),
             (30, 40, 70), (100, 70, 45))
# Capsules: (first joint, second joint, width in torso lengths, colour key).
_LEGS = ((12, 14, 0.24, 'trousers_far'), (14, 16, 0.2, 'trousers_far'),
         (11, 13, 0.24, 'trousers'), (13, 15, 0.2, 'trousers'))
_ARMS = ((6, 8, 0.17, 'shirt_far'), (8, 10, 0.14, 'skin_far'),
         (5, 7, 0.17, 'shirt'), (7, 9, 0.14, 'skin'))
_TORSO = (5, 6, 12, 11)
HEAD_RADIUS = 0.3  # torso lengths
_NECK_WIDTH = 0.16


@dataclass
class Outfit:
    """The colours of one person, RGB in ``[0, 255]``.

    Args:
        skin (tuple): Face and hands.
        shirt (tuple): Torso and upper arms.
        trousers (tuple): Legs.
    """
    skin: Tuple[int, int, int]
    shirt: Tuple[int, int, int]
    trousers: Tuple[int, int, int]

    @classmethod
    def sample(cls, subject_rng: np.random.Generator,
               clip_rng: np.random.Generator) -> 'Outfit':
        """Skin and trousers belong to the subject, the shirt to the clip."""
        skin = _SKIN[subject_rng.integers(len(_SKIN))]
        trousers = _TROUSERS[subject_rng.integers(len(_TROUSERS))]
        shirt = colorsys.hsv_to_rgb(clip_rng.uniform(),
                                    clip_rng.uniform(0.55, 0.95),
                                    clip_rng.uniform(0.45, 0.9))
        return cls(
            tuple(int(c) for c in skin), tuple(int(255 * c) for c in shirt),
            tuple(int(c) for c in trousers))

    def colour(self, key: str) -> Tuple[int, int, int]:
        """The colour of a part; ``*_far`` parts (the person's right side,
        drawn first) are shaded darker so that limbs stand apart."""
        name, far = key.split('_')[0], key.endswith('_far')
        rgb = getattr(self, name)
        return tuple(int(0.78 * c) for c in rgb) if far else rgb


def torso_length(keypoint: np.ndarray, keypoint_score: np.ndarray) -> float:
    """A person's size in pixels, robust to bending and missed joints.

    Args:
        keypoint (np.ndarray): ``(T, 17, 2)`` one person's keypoints.
        keypoint_score (np.ndarray): ``(T, 17)``; 0 marks a missed joint.

    Returns:
        float: 90th percentile over frames of the distance from the shoulder
        centre to the hip centre; if no frame shows all four joints, a third
        of the height of the person's box over the clip.
    """
    valid = keypoint_score > 0
    full = valid[:, list(_TORSO)].all(axis=1)
    if full.any():
        shoulders = keypoint[full][:, [5, 6]].mean(axis=1)
        hips = keypoint[full][:, [11, 12]].mean(axis=1)
        return float(
            np.percentile(np.linalg.norm(shoulders - hips, axis=-1), 90))
    if not valid.any():
        return 0.0
    ys = keypoint[..., 1][valid]
    return float(ys.max() - ys.min()) / 3.0


def _point(p: np.ndarray) -> Tuple[int, int]:
    return int(round(float(p[0]) * _ONE)), int(round(float(p[1]) * _ONE))


def _primitives(kp: np.ndarray, valid: np.ndarray,
                unit: float) -> Iterator[Tuple]:
    """The shapes of one person in one frame, back to front."""

    def capsules(table):
        for a, b, width, key in table:
            if valid[a] and valid[b]:
                yield ('capsule', kp[a], kp[b], width * unit, key)

    yield from capsules(_LEGS)
    if valid[list(_TORSO)].all():
        yield ('polygon', kp[list(_TORSO)], 0.17 * unit, 'shirt')
    face = [i for i in (3, 4) if valid[i]] or [i for i in range(5) if valid[i]]
    if face:
        head = kp[face].mean(axis=0)
        if valid[5] and valid[6]:
            yield ('capsule', kp[[5, 6]].mean(axis=0), head,
                   _NECK_WIDTH * unit, 'skin')
        yield ('disc', head, HEAD_RADIUS * unit, 'skin')
    yield from capsules(_ARMS)


def _draw_frame(img: np.ndarray, kp: np.ndarray, valid: np.ndarray,
                unit: float, colour: Callable[[str], Tuple]) -> None:
    for shape in _primitives(kp, valid, unit):
        kind, key = shape[0], shape[-1]
        c = colour(key)
        if kind == 'capsule':
            thickness = max(2, int(round(shape[3])))
            cv2.line(img, _point(shape[1]), _point(shape[2]), c, thickness,
                     cv2.LINE_AA, _SHIFT)
        elif kind == 'polygon':
            pts = np.array([_point(p) for p in shape[1]], np.int32)
            cv2.fillPoly(img, [pts], c, cv2.LINE_AA, _SHIFT)
            cv2.polylines(img, [pts], True, c, max(1, int(round(shape[2]))),
                          cv2.LINE_AA, _SHIFT)
        else:
            cv2.circle(img, _point(shape[1]),
                       max(_ONE, int(round(shape[2] * _ONE))), c, -1,
                       cv2.LINE_AA, _SHIFT)


def draw_people(frames: np.ndarray, keypoint: np.ndarray,
                keypoint_score: np.ndarray, outfits: Tuple[Outfit,
                                                           ...]) -> None:
    """Draw every person onto ``frames`` in place (person 0 last, in front).

    Args:
        frames (np.ndarray): ``(T, H, W, 3)`` uint8 RGB, the background.
        keypoint (np.ndarray): ``(M, T, 17, 2)`` in the frames' pixels.
        keypoint_score (np.ndarray): ``(M, T, 17)``; joints with score 0 are
            not drawn.
        outfits (tuple): One :class:`Outfit` per person.
    """
    if keypoint.shape[0] != len(outfits):
        raise ValueError(f'{keypoint.shape[0]} people but {len(outfits)} '
                         'outfits')
    for m in reversed(range(keypoint.shape[0])):
        unit = torso_length(keypoint[m], keypoint_score[m])
        for t in range(frames.shape[0]):
            # cv2 draws into contiguous arrays only; a frame of a (T, H, W, 3)
            # array is one.
            _draw_frame(frames[t], keypoint[m, t], keypoint_score[m, t] > 0,
                        unit, outfits[m].colour)


def render_person_mask(keypoint: np.ndarray,
                       keypoint_score: np.ndarray,
                       img_shape: Tuple[int, int],
                       person: Optional[int] = None) -> np.ndarray:
    """The pixels covered by the drawn people, from the annotation alone.

    Args:
        keypoint (np.ndarray): ``(M, T, 17, 2)`` in pixels.
        keypoint_score (np.ndarray): ``(M, T, 17)``.
        img_shape (tuple): ``(height, width)``.
        person (int, optional): Only this person; None means all.
            Defaults to None.

    Returns:
        np.ndarray: ``(T, H, W)`` uint8 coverage: 0 where the video shows the
        background, up to 255 inside the person (antialiased edges between).
    """
    num_frames = keypoint.shape[1]
    mask = np.zeros((num_frames, ) + tuple(img_shape), np.uint8)
    people = range(keypoint.shape[0]) if person is None else [person]
    for m in people:
        unit = torso_length(keypoint[m], keypoint_score[m])
        for t in range(num_frames):
            _draw_frame(mask[t], keypoint[m, t], keypoint_score[m, t] > 0,
                        unit, lambda key: 255)
    return mask
