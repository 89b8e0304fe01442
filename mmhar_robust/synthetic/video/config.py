"""The knobs of the synthetic video set."""
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple, Union

from ..generator import SyntheticSkeletonConfig
from .writer import video_extension

VARIANTS: Tuple[str, ...] = ('biased', 'unbiased')


@dataclass
class SyntheticVideoConfig:
    """Every knob of the synthetic video set (see docs/synthetic_video.md).

    Args:
        variant (str): ``'biased'`` (texture tied to the class) or
            ``'unbiased'`` (texture independent of it). Defaults to
            ``'biased'``.
        num_subjects (int): Simulated people. Defaults to 6.
        repeats (int): Clips per subject and class. Defaults to 2.
        classes (Sequence[str], optional): Class names, in label order, from
            ``ALL_CLASS_NAMES``; None means the 13 default classes.
            Defaults to None.
        class_repeats (Sequence[int], optional): Clips per subject for each
            class, in order (an imbalanced set); None gives every class
            ``repeats``. Defaults to None.
        train_fraction (float): Share of subjects (lowest ids) in
            ``xsub_train``. Defaults to 0.6.
        size (int | tuple): Frame ``(height, width)``, or one int for a
            square. Defaults to 64.
        frames (int): Frames per clip. Defaults to 24.
        fps (float): Frame rate of the motion and of the files. Defaults to 30.
        num_backgrounds (int, optional): Number of textures; None means one
            per class. Defaults to None.
        pan_speed (float): Largest camera pan, in frame heights per frame; 0
            keeps the backgrounds still. Defaults to 0.01.
        background_contrast (float): Scales the texture's step from its light
            to its dark colour, in ``[0, 1]``; lower makes the person stand
            out more (0: flat backgrounds, told apart by colour only).
            Defaults to 0.5.
        fill_range (tuple): The people's box (over the whole clip) takes this
            share of the frame, drawn per clip. Defaults to (0.6, 0.9).
        two_person_prob (float): Chance of an idle bystander. Defaults to 0.
        view_range (float): Body heading vs camera, +- degrees.
            Defaults to 60.
        jitter (float): Keypoint noise of the skeleton generator; the person
            is drawn from the noisy keypoints, so it shows. Defaults to 0.
        drop_prob (float): Chance a joint is missed (its limbs are not drawn in
            that frame). Defaults to 0.
        fourcc (str): ``'mp4v'`` (``.mp4``, lossy) or ``'FFV1'`` (``.avi``,
            lossless). Defaults to ``'mp4v'``.
        plates (bool): Also write each clip's background without the person.
            Defaults to True.
        seed (int): Seed of the whole set. Defaults to 0.
    """
    variant: str = 'biased'
    num_subjects: int = 6
    repeats: int = 2
    classes: Optional[Sequence[str]] = None
    class_repeats: Optional[Sequence[int]] = None
    train_fraction: float = 0.6
    size: Union[int, Tuple[int, int]] = 64
    frames: int = 24
    fps: float = 30.0
    num_backgrounds: Optional[int] = None
    pan_speed: float = 0.01
    background_contrast: float = 0.5
    fill_range: Tuple[float, float] = (0.6, 0.9)
    two_person_prob: float = 0.0
    view_range: float = 60.0
    jitter: float = 0.0
    drop_prob: float = 0.0
    fourcc: str = 'mp4v'
    plates: bool = True
    seed: int = 0

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise ValueError(f'variant must be one of {VARIANTS}, got '
                             f'{self.variant!r}')
        if isinstance(self.size, int):
            self.size = (self.size, self.size)
        self.size = tuple(int(s) for s in self.size)
        if len(self.size) != 2 or min(self.size) < 16:
            raise ValueError(f'size must be (height, width) of at least 16 '
                             f'pixels, got {self.size}')
        if self.frames < 1:
            raise ValueError(f'frames must be >= 1, got {self.frames}')
        if self.num_backgrounds is not None and self.num_backgrounds < 1:
            raise ValueError('num_backgrounds must be >= 1, got '
                             f'{self.num_backgrounds}')
        low, high = self.fill_range
        if not 0 < low <= high <= 1:
            raise ValueError(f'bad fill_range {self.fill_range}')
        if not 0 <= self.background_contrast <= 1:
            raise ValueError('background_contrast must be in [0, 1], got '
                             f'{self.background_contrast}')
        if self.pan_speed < 0:
            raise ValueError(f'pan_speed must be >= 0, got {self.pan_speed}')
        video_extension(self.fourcc)

    def skeleton_config(self) -> SyntheticSkeletonConfig:
        """The skeleton generator's settings behind these videos."""
        return SyntheticSkeletonConfig(
            num_subjects=self.num_subjects,
            repeats=self.repeats,
            classes=self.classes,
            class_repeats=self.class_repeats,
            train_fraction=self.train_fraction,
            layout='coco',
            fps=self.fps,
            frames_range=(self.frames, self.frames),
            view_range=self.view_range,
            two_person_prob=self.two_person_prob,
            jitter=self.jitter,
            drop_prob=self.drop_prob,
            seed=self.seed)
