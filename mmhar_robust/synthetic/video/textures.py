"""Procedural background textures, cheap to render and easy to tell apart.

A texture is a function of the position in the frame, measured in frame
heights, that mixes two colours. Panning the camera shifts the position with
time, so the same texture makes a moving background. Textures are numbered:
texture ``i`` of a set is fixed by ``(seed, i)``, its family is
``TEXTURE_FAMILIES[i % 6]`` and its hues are spread around the colour wheel,
so neighbouring ids differ in both pattern and colour.
"""
import colorsys
from dataclasses import dataclass
from typing import Dict, List, Tuple

import numpy as np

TEXTURE_FAMILIES: Tuple[str, ...] = ('stripes', 'checker', 'rings', 'blobs',
                                     'gradient', 'dots')
_TEXTURE_STREAM = 4099  # separates texture draws from every other stream
_GOLDEN = 0.618033988749895  # spreads hues of consecutive ids evenly


@dataclass
class Texture:
    """One background texture: a pattern mixing two RGB colours.

    Args:
        texture_id (int): Its number in the set.
        family (str): One of :data:`TEXTURE_FAMILIES`.
        colours (np.ndarray): ``(2, 3)`` float RGB in ``[0, 255]``.
        angle (float): Orientation of the pattern in radians.
        frequency (float): Cycles per frame height.
        params (dict): Family-specific numbers (blob waves, dot radius).
    """
    texture_id: int
    family: str
    colours: np.ndarray
    angle: float
    frequency: float
    params: Dict[str, np.ndarray]

    @classmethod
    def sample(cls, seed: int, texture_id: int) -> 'Texture':
        """Texture ``texture_id`` of the set drawn from ``seed``."""
        rng = np.random.default_rng([seed, _TEXTURE_STREAM, texture_id])
        family = TEXTURE_FAMILIES[texture_id % len(TEXTURE_FAMILIES)]
        hue = (texture_id * _GOLDEN + rng.uniform(-0.04, 0.04)) % 1.0
        # Two colours of related hue and clearly different brightness, so the
        # pattern shows in the luma that video codecs keep best.
        light = colorsys.hsv_to_rgb(hue, rng.uniform(0.25, 0.55),
                                    rng.uniform(0.8, 0.95))
        dark = colorsys.hsv_to_rgb((hue + rng.uniform(-0.12, 0.12)) % 1.0,
                                   rng.uniform(0.5, 0.9),
                                   rng.uniform(0.3, 0.5))
        colours = 255.0 * np.array([light, dark])
        frequency = {
            'stripes': (2.5, 5.0),
            'checker': (1.5, 3.0),
            'rings': (2.0, 4.0),
            'blobs': (1.0, 2.0),
            'gradient': (0.3, 0.6),
            'dots': (2.5, 4.0)
        }[family]
        params = dict(
            wave_angles=rng.uniform(0, np.pi, 3),
            wave_scales=rng.uniform(0.6, 1.4, 3),
            wave_phases=rng.uniform(0, 2 * np.pi, 3),
            centre=rng.uniform(0.2, 0.8, 2),
            radius=np.array(rng.uniform(0.22, 0.32)))
        return cls(texture_id, family, colours, float(rng.uniform(0, np.pi)),
                   float(rng.uniform(*frequency)), params)

    def mix(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The weight of the second colour at positions ``x, y`` (in frame
        heights), in ``[0, 1]``, any broadcastable shapes."""
        c, s = np.cos(self.angle), np.sin(self.angle)
        u, v = c * x + s * y, c * y - s * x
        f = 2 * np.pi * self.frequency
        p = self.params
        if self.family == 'stripes':
            return _soft(np.sin(f * u), 3.0)
        if self.family == 'checker':
            return _soft(np.sin(f * u) * np.sin(f * v), 4.0)
        if self.family == 'rings':
            cx, cy = p['centre']
            return _soft(np.sin(f * np.hypot(x - cx, y - cy)), 3.0)
        if self.family == 'blobs':
            total = 0.0
            for a, k, ph in zip(p['wave_angles'], p['wave_scales'],
                                p['wave_phases']):
                total = total + np.sin(f * k *
                                       (np.cos(a) * x + np.sin(a) * y) + ph)
            return _soft(total, 1.5)
        if self.family == 'gradient':
            return 0.5 + 0.5 * np.sin(f * u)
        if self.family == 'dots':
            du = (self.frequency * u) % 1.0 - 0.5
            dv = (self.frequency * v) % 1.0 - 0.5
            return _soft(float(p['radius']) - np.hypot(du, dv), 40.0)
        raise ValueError(f'unknown texture family {self.family!r}; choose '
                         f'from {TEXTURE_FAMILIES}')

    def render(self,
               img_shape: Tuple[int, int],
               num_frames: int,
               offset: Tuple[float, float] = (0.0, 0.0),
               pan: Tuple[float, float] = (0.0, 0.0),
               contrast: float = 1.0) -> np.ndarray:
        """Frames of this texture seen by a panning camera.

        Args:
            img_shape (tuple): ``(height, width)`` in pixels.
            num_frames (int): Number of frames ``T``.
            offset (tuple): Position of the top-left corner at frame 0, in
                frame heights. Defaults to (0, 0).
            pan (tuple): Camera motion ``(dx, dy)`` in frame heights per frame.
                Defaults to (0, 0).
            contrast (float): Scales the step from the light to the dark
                colour; 0 gives a flat light background. Defaults to 1.

        Returns:
            np.ndarray: ``(T, H, W, 3)`` uint8 RGB.
        """
        h, w = img_shape
        t = np.arange(num_frames, dtype=np.float32)[:, None, None]
        # Pixel centres, in frame heights.
        y = ((np.arange(h, dtype=np.float32) + 0.5) / h)[None, :, None]
        x = ((np.arange(w, dtype=np.float32) + 0.5) / h)[None, None, :]
        m = self.mix(x + offset[0] + pan[0] * t, y + offset[1] + pan[1] * t)
        m = np.broadcast_to(m, (num_frames, h, w))[..., None]
        light, dark = self.colours.astype(np.float32)
        frames = light + m * (contrast * (dark - light))
        return np.clip(np.rint(frames), 0, 255).astype(np.uint8)


def _soft(value: np.ndarray, sharpness: float) -> np.ndarray:
    """A smooth step from 0 to 1 around ``value = 0`` (a soft square wave
    when applied to a sine), so edges stay smooth at any frame size."""
    return 0.5 + 0.5 * np.tanh(sharpness * value)


def texture_bank(seed: int, num_textures: int) -> List[Texture]:
    """Textures ``0 .. num_textures - 1`` of the set drawn from ``seed``."""
    if num_textures < 1:
        raise ValueError(f'num_textures must be >= 1, got {num_textures}')
    return [Texture.sample(seed, i) for i in range(num_textures)]
