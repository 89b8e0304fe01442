"""A pinhole camera that films the synthetic subjects."""
from dataclasses import dataclass
from typing import Sequence, Tuple

import numpy as np


@dataclass
class Camera:
    """A pinhole camera looking at a target point.

    Args:
        position (np.ndarray): Camera centre in world metres, shape ``(3,)``.
        target (np.ndarray): The point it looks at, shape ``(3,)``.
        focal (float): Focal length in pixels.
        image_shape (tuple): ``(height, width)`` in pixels.
    """
    position: np.ndarray
    target: np.ndarray
    focal: float
    image_shape: Tuple[int, int]

    @classmethod
    def sample(
        cls,
        rng: np.random.Generator,
        distance_range: Sequence[float] = (3.0, 6.0),
        image_shapes: Sequence[Tuple[int, int]] = ((480, 640), (720, 1280),
                                                   (1080, 1920))
    ) -> 'Camera':
        """A camera in front of the origin at a random distance and height."""
        distance = float(rng.uniform(*distance_range))
        height = float(rng.uniform(0.8, 1.8))
        shape = tuple(image_shapes[rng.integers(len(image_shapes))])
        target = np.array([rng.normal(0, 0.1), 0.9, 0.0])
        focal = shape[0] * float(rng.uniform(1.0, 1.5))
        return cls(np.array([0.0, height, distance]), target, focal, shape)

    def rotation(self) -> np.ndarray:
        """World-to-camera rotation; rows are camera right, down, forward."""
        forward = self.target - self.position
        forward = forward / np.linalg.norm(forward)
        right = np.cross(forward, [0.0, 1.0, 0.0])
        right = right / np.linalg.norm(right)
        down = np.cross(forward, right)
        return np.stack([right, down, forward])

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        """World points ``(..., 3)`` to camera coordinates (x right, y down,
        z forward), in metres."""
        return (points - self.position) @ self.rotation().T

    def project(self, points: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Project world points ``(..., 3)`` to pixels.

        Returns:
            tuple: pixel coordinates ``(..., 2)`` as (x, y) and depth ``(...)``
            in metres.
        """
        cam = self.to_camera(points)
        depth = cam[..., 2]
        h, w = self.image_shape
        uv = self.focal * cam[..., :2] / depth[..., None]
        uv += np.array([w / 2.0, h / 2.0])
        return uv, depth
