"""What replaces the background: pure functions on decoded RGB frames.

Each returns a full ``(H, W, 3)`` or ``(T, H, W, 3)`` uint8 replacement; the
transform keeps the person's pixels and takes only the background from it.
"""
from typing import Optional

import cv2
import numpy as np

FILL_MODES = ('black', 'mean', 'blur', 'noise', 'swap')
NOISE_KINDS = ('uniform', 'gaussian')
# Gaussian noise: mid-grey mean, a std that spans most of [0, 255].
NOISE_MEAN, NOISE_STD = 127.5, 64.0
# Blur kernels above this are applied at a reduced resolution: the result is
# the same heavy blur, at a fraction of the cost of a huge kernel.
MAX_DIRECT_KERNEL = 15


def auto_blur_kernel(img_shape) -> int:
    """Default blur kernel: an odd size near a sixth of the frame's longer
    side, enough to leave only the scene's coarse colours."""
    return max(3, int(max(img_shape[:2])) // 6 | 1)


def background_mean(frames: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Mean RGB colour of the background pixels of a whole clip.

    Args:
        frames (np.ndarray): ``(T, H, W, 3)`` uint8 frames.
        background (np.ndarray): ``(T, H, W)`` bool, True on background.

    Returns:
        np.ndarray: ``(3,)`` uint8 colour (zeros if there is no background).
    """
    total, weighted = 0, np.zeros(3)
    for frame, mask in zip(frames, background.view(np.uint8)):
        count = int(np.count_nonzero(mask))
        if count:
            total += count
            weighted += count * np.array(cv2.mean(frame, mask)[:3])
    if total == 0:
        return np.zeros(3, dtype=np.uint8)
    return np.clip(np.round(weighted / total), 0, 255).astype(np.uint8)


def blur_background(frame: np.ndarray,
                    background: np.ndarray,
                    kernel: Optional[int] = None) -> np.ndarray:
    """Gaussian blur of the background alone (normalised convolution).

    Blurring the whole frame would smear the person's colours into the
    surrounding background and leave their outline visible; here only
    background pixels are averaged, weighted by the Gaussian.

    Args:
        frame (np.ndarray): ``(H, W, 3)`` uint8 frame.
        background (np.ndarray): ``(H, W)`` bool, True on background.
        kernel (int, optional): Odd Gaussian kernel size in pixels. None:
            :func:`auto_blur_kernel`. Defaults to None.

    Returns:
        np.ndarray: ``(H, W, 3)`` uint8 blurred background (undefined, set
        to 0, where no background lies within reach).
    """
    h, w = frame.shape[:2]
    kernel = auto_blur_kernel(frame.shape) if kernel is None else kernel
    factor = max(1, -(-kernel // MAX_DIRECT_KERNEL))
    mask = background.astype(np.uint8)
    masked = np.zeros_like(frame)
    cv2.copyTo(frame, mask, masked)
    values, weight = masked.astype(np.float32), mask.astype(np.float32)
    if factor > 1:
        small = (max(1, round(w / factor)), max(1, round(h / factor)))
        values = cv2.resize(values, small, interpolation=cv2.INTER_AREA)
        weight = cv2.resize(weight, small, interpolation=cv2.INTER_AREA)
    size = max(1, round(kernel / factor)) | 1
    values = cv2.GaussianBlur(values, (size, size),
                              0).reshape(weight.shape + (3, ))
    weight = cv2.GaussianBlur(weight, (size, size), 0)[..., None]
    # Every cell next to a background pixel has weight > 0 after the blur,
    # so the ratio can be taken at low resolution and interpolated up.
    out = np.divide(
        values, weight, out=np.zeros_like(values), where=weight > 1e-12)
    if factor > 1:
        out = cv2.resize(out, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.convertScaleAbs(out.reshape(h, w, 3))


def noise_frame(shape,
                rng: np.random.Generator,
                kind: str = 'uniform') -> np.ndarray:
    """A frame of RGB noise from the given generator.

    Args:
        shape (tuple): ``(H, W, 3)``.
        rng (np.random.Generator): The sample's generator (never global).
        kind (str): ``'uniform'`` (every value in [0, 255] equally likely)
            or ``'gaussian'`` (mean 127.5, std 64, clipped). Defaults to
            'uniform'.

    Returns:
        np.ndarray: uint8 noise of the given shape.
    """
    if kind == 'uniform':
        return rng.integers(0, 256, size=shape, dtype=np.uint8)
    if kind == 'gaussian':
        noise = rng.normal(NOISE_MEAN, NOISE_STD, size=shape)
        return np.clip(np.round(noise), 0, 255).astype(np.uint8)
    raise ValueError(f'unknown noise kind {kind!r}; valid: {NOISE_KINDS}')


def cover_resize(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resize to cover ``(height, width)`` keeping the aspect ratio, then
    crop the centre, so a swapped-in background is not distorted."""
    h, w = image.shape[:2]
    scale = max(height / h, width / w)
    new_w, new_h = max(width, round(w * scale)), max(height, round(h * scale))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    image = cv2.resize(image, (new_w, new_h), interpolation=interp)
    top, left = (new_h - height) // 2, (new_w - width) // 2
    return image[top:top + height, left:left + width]
