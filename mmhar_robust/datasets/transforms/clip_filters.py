"""The seven image filters of seed 002's online augmentation, for whole clips.

Each filter draws its parameters once per clip from a per-sample generator
(:meth:`ClipFilter.draw`, which depends on the frame size only, never on the
number of frames) and applies them to every frame alike
(:meth:`ClipFilter.apply`), so an augmented clip does not flicker. Clips are
float tensors ``(T, C, H, W)`` with intensities in [0, 255]; the blur and the
elastic deformation are Kornia's (``gaussian_blur2d``,
``elastic_transform2d``), the rest is one line of tensor arithmetic each.

=========  ==================================  ===========================
filter     what it does                        ranges (defaults)
=========  ==================================  ===========================
add        ``x + value``                       value (-40, 40)
multiply   ``x * factor``                      factor (0.8, 1.2)
salt       a fraction of pixels set to 255     fraction (0.01, 0.05)
pepper     a fraction of pixels set to 0       fraction (0.01, 0.05)
elastic    Simard et al.'s deformation: a      alpha (20, 40) pixels,
           uniform [-1, 1] field smoothed by   sigma (4, 6) pixels
           a Gaussian of ``sigma``, times
           ``alpha`` (pixel displacement)
blur       Gaussian blur of ``sigma`` pixels   sigma (0.5, 1.5)
flip       horizontal flip                     (none)
=========  ==================================  ===========================

Every value is drawn uniformly from its range.
"""
import math
from abc import ABC, abstractmethod
from typing import Dict, Tuple

import numpy as np
import torch

Range = Tuple[float, float]


class ClipFilter(ABC):
    """A filter with named parameter ranges (see the module's table).

    Args:
        where (str): Who builds it, for error messages.
        **ranges: Overrides of the filter's ranges, e.g. ``value=(-20, 20)``.
    """
    name = ''
    defaults: Dict[str, Range] = {}
    # Inclusive bounds every end of a range must respect.
    limits: Dict[str, Range] = {}

    def __init__(self, where: str = 'filter', **ranges) -> None:
        unknown = sorted(set(ranges) - set(self.defaults))
        if unknown:
            raise KeyError(f'{where}: filter {self.name!r} has no parameter '
                           f'{unknown[0]!r}; it takes '
                           f'{sorted(self.defaults) or "none"}')
        self.ranges = {}
        for key, default in self.defaults.items():
            value = ranges.get(key, default)
            try:
                low, high = (float(v) for v in value)
            except (TypeError, ValueError):
                raise ValueError(f'{where}: {self.name}.{key} must be a '
                                 f'(low, high) pair, got {value!r}') from None
            lo, hi = self.limits.get(key, (-math.inf, math.inf))
            if not lo <= low <= high <= hi:
                raise ValueError(
                    f'{where}: {self.name}.{key} must be a range (low, high) '
                    f'with {lo} <= low <= high <= {hi}, got {value!r}')
            self.ranges[key] = (low, high)

    def draw(self, rng: np.random.Generator, height: int,
             width: int) -> Dict:
        """Parameters for one clip: one value per range, drawn in order."""
        return {
            key: float(rng.uniform(low, high))
            for key, (low, high) in self.ranges.items()
        }

    @abstractmethod
    def apply(self, clip: torch.Tensor, params: Dict) -> torch.Tensor:
        """The clip ``(T, C, H, W)`` with the filter applied, the same
        ``params`` on every frame."""

    def __repr__(self) -> str:
        args = ', '.join(f'{k}={v}' for k, v in self.ranges.items())
        return f'{self.name}({args})'


class Add(ClipFilter):
    name = 'add'
    defaults = {'value': (-40.0, 40.0)}
    limits = {'value': (-255.0, 255.0)}

    def apply(self, clip, params):
        return (clip + params['value']).clamp_(0, 255)


class Multiply(ClipFilter):
    name = 'multiply'
    defaults = {'factor': (0.8, 1.2)}
    limits = {'factor': (0.0, math.inf)}

    def apply(self, clip, params):
        return (clip * params['factor']).clamp_(0, 255)


class Salt(ClipFilter):
    name = 'salt'
    defaults = {'fraction': (0.01, 0.05)}
    limits = {'fraction': (0.0, 1.0)}
    fill = 255.0

    def draw(self, rng, height, width):
        params = super().draw(rng, height, width)
        # One mask for the clip: the same pixels in every frame.
        params['mask'] = torch.from_numpy(
            rng.random((height, width)) < params['fraction'])
        return params

    def apply(self, clip, params):
        return clip.masked_fill(params['mask'], self.fill)


class Pepper(Salt):
    name = 'pepper'
    fill = 0.0


class Elastic(ClipFilter):
    name = 'elastic'
    defaults = {'alpha': (20.0, 40.0), 'sigma': (4.0, 6.0)}
    limits = {'alpha': (0.0, math.inf), 'sigma': (0.1, math.inf)}

    def draw(self, rng, height, width):
        params = super().draw(rng, height, width)
        params['noise'] = torch.from_numpy(
            rng.uniform(-1, 1, (1, 2, height, width)).astype(np.float32))
        return params

    def apply(self, clip, params):
        from kornia.geometry.transform import elastic_transform2d
        sigma = params['sigma']
        size = 2 * math.ceil(3 * sigma) + 1
        height, width = clip.shape[-2:]
        # Kornia displaces in normalised coordinates, where the image spans 2.
        alpha = (params['alpha'] * 2 / width, params['alpha'] * 2 / height)
        noise = params['noise'].expand(clip.shape[0], -1, -1, -1)
        return elastic_transform2d(
            clip, noise, kernel_size=(size, size), sigma=(sigma, sigma),
            alpha=alpha, padding_mode='reflection')


class Blur(ClipFilter):
    name = 'blur'
    defaults = {'sigma': (0.5, 1.5)}
    limits = {'sigma': (0.1, math.inf)}

    def apply(self, clip, params):
        from kornia.filters import gaussian_blur2d
        sigma = params['sigma']
        size = 2 * math.ceil(3 * sigma) + 1
        return gaussian_blur2d(clip, (size, size), (sigma, sigma),
                               border_type='reflect')


class Flip(ClipFilter):
    """Flips the frames; :class:`ClipAugment` flips the keypoints."""
    name = 'flip'

    def apply(self, clip, params):
        return clip.flip(-1)


FILTERS = {
    cls.name: cls
    for cls in (Add, Multiply, Salt, Pepper, Elastic, Blur, Flip)
}
FILTER_NAMES = tuple(FILTERS)


def build_filter(cfg, where: str = 'filter') -> ClipFilter:
    """A filter from its name or a dict ``dict(type=name, **ranges)``."""
    if isinstance(cfg, ClipFilter):
        return cfg
    if isinstance(cfg, str):
        name, ranges = cfg, {}
    elif isinstance(cfg, dict) and 'type' in cfg:
        ranges = dict(cfg)
        name = ranges.pop('type')
    else:
        raise ValueError(f'{where}: a filter is a name or a dict with "type", '
                         f'got {cfg!r}')
    if name not in FILTERS:
        raise KeyError(f'{where}: unknown filter {name!r}; known filters: '
                       f'{", ".join(FILTER_NAMES)}')
    return FILTERS[name](where=where, **ranges)
