"""Generate a synthetic skeleton action dataset in MMAction2's pose format.

Every clip is made from its own random stream, seeded by ``(seed, subject,
label, repetition)``, so a clip does not change when others are added and the
whole set is reproducible from one seed.
"""
import json
import os
import os.path as osp
import pickle
from dataclasses import asdict, dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from .actions import (ALL_ACTIONS, ALL_CLASS_NAMES, CLASS_NAMES, ClipStyle,
                      Motion, idle)
from .body import BodyShape, JOINTS, rot_y, forward_kinematics
from .camera import Camera
from .layouts import LAYOUTS, layout_indices

# Actions performed with one arm or leg may be mirrored (left-handed people).
_LATERAL = ('wave', 'touch_head', 'point', 'kick')
_BYSTANDER_STREAM = 7919  # separates a bystander's randomness from the actor's


@dataclass
class SyntheticSkeletonConfig:
    """Every knob of the synthetic skeleton dataset (see docs/synthetic.md).

    Args:
        num_subjects (int): Number of simulated people. Defaults to 16.
        repeats (int): Clips per subject and class. Defaults to 3.
        classes (Sequence[str], optional): Class names, in label order, from
            :data:`ALL_CLASS_NAMES`; None means the 13 of
            :data:`CLASS_NAMES`. Defaults to None.
        class_repeats (Sequence[int], optional): Clips per subject for each
            class of ``classes``, in order, to make a set imbalanced; None
            gives every class ``repeats``. Defaults to None.
        train_fraction (float): Fraction of subjects (the lowest ids) in
            ``xsub_train``; the rest form ``xsub_val``. Defaults to 0.6.
        layout (str): ``'coco'`` writes COCO-17 2D keypoints in pixels with
            scores; ``'nturgb+d'`` writes NTU-25 3D keypoints in metres in
            camera space (x right, y up, z away from the camera), without
            scores, like mmaction2's ``ntu60_3d.pkl``. Defaults to ``'coco'``.
        fps (float): Frame rate. Defaults to 30.
        frames_range (tuple): Inclusive range of clip lengths in frames.
            Defaults to (40, 150).
        speed_range (tuple): Per-clip tempo factor. Defaults to (0.8, 1.25).
        amplitude_range (tuple): Per-clip amplitude factor.
            Defaults to (0.85, 1.15).
        view_range (float): Body heading relative to the camera is drawn from
            +-``view_range`` degrees. Defaults to 60.
        distance_range (tuple): Camera distance in metres. Defaults to (3, 6).
        image_shapes (tuple): ``(height, width)`` choices. Defaults to 480p,
            720p and 1080p.
        two_person_prob (float): Chance of a second, idle person in the clip.
            Defaults to 0.2.
        style_noise (float): Std in degrees of slow per-clip deviations added to
            every angle. Defaults to 3.
        jitter (float): Pose-estimator noise: 2D std as a fraction of the
            person's height in pixels; 3D std in metres. Defaults to 0.004.
        drop_prob (float): Chance that a joint is missed in a frame (written as
            zeros with score 0). Defaults to 0.02.
        mirror_prob (float): Chance that a one-sided action is done with the
            other side. Defaults to 0.25.
        seed (int): Seed of the whole set. Defaults to 0.
    """
    num_subjects: int = 16
    repeats: int = 3
    classes: Optional[Sequence[str]] = None
    class_repeats: Optional[Sequence[int]] = None
    train_fraction: float = 0.6
    layout: str = 'coco'
    fps: float = 30.0
    frames_range: Tuple[int, int] = (40, 150)
    speed_range: Tuple[float, float] = (0.8, 1.25)
    amplitude_range: Tuple[float, float] = (0.85, 1.15)
    view_range: float = 60.0
    distance_range: Tuple[float, float] = (3.0, 6.0)
    image_shapes: Tuple[Tuple[int, int],
                        ...] = ((480, 640), (720, 1280), (1080, 1920))
    two_person_prob: float = 0.2
    style_noise: float = 3.0
    jitter: float = 0.004
    drop_prob: float = 0.02
    mirror_prob: float = 0.25
    seed: int = 0

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValueError(f'layout must be one of {sorted(LAYOUTS)}, '
                             f'got {self.layout!r}')
        names = CLASS_NAMES if self.classes is None else tuple(self.classes)
        unknown = [n for n in names if n not in ALL_CLASS_NAMES]
        if unknown:
            raise ValueError(f'unknown classes {unknown}; available: '
                             f'{list(ALL_CLASS_NAMES)}')
        self.classes = names
        if self.class_repeats is not None:
            self.class_repeats = tuple(int(r) for r in self.class_repeats)
            if len(self.class_repeats) != len(names) or min(
                    self.class_repeats) < 1:
                raise ValueError(
                    'class_repeats must give one count >= 1 per class of '
                    f'{list(names)}, got {list(self.class_repeats)}')
        if self.num_subjects < 2:
            raise ValueError('num_subjects must be at least 2 to split by '
                             f'subject, got {self.num_subjects}')
        if not 0 < self.train_fraction < 1:
            raise ValueError('train_fraction must be in (0, 1), got '
                             f'{self.train_fraction}')
        low, high = self.frames_range
        if not 1 <= low <= high:
            raise ValueError(f'bad frames_range {self.frames_range}')
        if self.repeats < 1:
            raise ValueError(f'repeats must be >= 1, got {self.repeats}')

    def repeats_of(self, label: int) -> int:
        """Clips per subject of class ``label`` (an index into
        ``classes``)."""
        if self.class_repeats is None:
            return self.repeats
        return self.class_repeats[label]


class SyntheticSkeletonGenerator:
    """Build the synthetic skeleton dataset described by a config.

    Args:
        cfg (SyntheticSkeletonConfig): The knobs. Defaults to the defaults.

    Example:
        >>> gen = SyntheticSkeletonGenerator(SyntheticSkeletonConfig(seed=1))
        >>> data = gen.generate()
        >>> sorted(data)
        ['annotations', 'split']
    """

    def __init__(self, cfg: Optional[SyntheticSkeletonConfig] = None) -> None:
        self.cfg = cfg or SyntheticSkeletonConfig()
        self.class_names: Tuple[str, ...] = tuple(self.cfg.classes)
        self._programs = {a.name: a.program for a in ALL_ACTIONS}
        self._layout = layout_indices(self.cfg.layout)

    # -- subjects -----------------------------------------------------------
    def subject_shape(self, subject: int) -> BodyShape:
        """The body of subject ``subject`` (1-based), fixed by the seed."""
        rng = np.random.default_rng([self.cfg.seed, 1_000_000 + subject])
        return BodyShape.sample(rng)

    def is_train_subject(self, subject: int) -> bool:
        """Whether a subject belongs to ``xsub_train``."""
        num_train = max(1,
                        round(self.cfg.train_fraction * self.cfg.num_subjects))
        num_train = min(num_train, self.cfg.num_subjects - 1)
        return subject <= num_train

    # -- one clip -----------------------------------------------------------
    def _perform(self, rng: np.random.Generator, program, shape: BodyShape,
                 num_frames: int, heading: float, offset: np.ndarray,
                 mirror: bool) -> np.ndarray:
        cfg = self.cfg
        t = np.arange(num_frames) / cfg.fps
        style = ClipStyle(
            speed=float(rng.uniform(*cfg.speed_range)),
            amplitude=float(rng.uniform(*cfg.amplitude_range)),
            phase=float(rng.uniform()))
        motion: Motion = program(t, style)
        pose = motion.pose
        if mirror:
            pose = _mirror(pose)
        for name, angle in pose.items():
            pose[name] = angle + _slow_noise(rng, t, cfg.style_noise)
        yaw = heading + motion.turn
        root = np.einsum('tij,tj->ti', rot_y(yaw), motion.root) + offset
        return forward_kinematics(shape, pose, root, yaw)

    def clip(self, subject: int, label: int, repeat: int) -> Dict:
        """Generate one annotation: subject ``subject`` doing class ``label``.

        Args:
            subject (int): 1-based subject id.
            label (int): Index into :attr:`class_names`.
            repeat (int): Repetition number, 0-based.

        Returns:
            dict: An MMAction2 pose annotation.
        """
        cfg = self.cfg
        name = self.class_names[label]
        rng = np.random.default_rng(
            [cfg.seed, subject,
             ALL_CLASS_NAMES.index(name), repeat])
        num_frames = int(
            rng.integers(cfg.frames_range[0], cfg.frames_range[1] + 1))
        view = np.deg2rad(rng.uniform(-cfg.view_range, cfg.view_range))
        mirror = name in _LATERAL and rng.random() < cfg.mirror_prob
        people = [
            self._perform(rng, self._programs[name],
                          self.subject_shape(subject), num_frames, view,
                          np.array([rng.normal(0, 0.2), 0, 0]), mirror)
        ]
        if rng.random() < cfg.two_person_prob:
            # A stranger (not one of the subjects, so no identity crosses the
            # split) with a stream of its own, so the actor's clip is the same
            # whatever the bystander does.
            brng = np.random.default_rng(
                [cfg.seed, _BYSTANDER_STREAM, subject, label, repeat])
            side = brng.choice([-1.0, 1.0])
            people.append(
                self._perform(
                    brng, idle, BodyShape.sample(brng), num_frames,
                    np.deg2rad(brng.uniform(-40, 40)),
                    np.array([
                        side * brng.uniform(1.0, 1.6), 0.0,
                        brng.uniform(-1.0, 0.5)
                    ]), False))
        joints = np.stack(people)[:, :, self._layout]  # (M, T, V, 3)
        camera = Camera.sample(rng, cfg.distance_range, cfg.image_shapes)
        ann = dict(
            frame_dir=f'S{cfg.seed:03d}P{subject:03d}'
            f'A{ALL_CLASS_NAMES.index(name) + 1:03d}R{repeat + 1:03d}',
            label=label,
            subject=subject,
            total_frames=num_frames)
        if cfg.layout == 'coco':
            ann.update(self._observe_2d(rng, camera, joints))
        else:
            ann['keypoint'] = self._observe_3d(rng, camera, joints)
        return ann

    def _observe_2d(self, rng: np.random.Generator, camera: Camera,
                    joints: np.ndarray) -> Dict:
        """Project to pixels with estimator-like jitter, misses and scores."""
        cfg = self.cfg
        uv, depth = camera.project(joints)
        # Person height in pixels sets the scale of the estimator's errors.
        person_px = camera.focal * 1.7 / np.median(depth)
        noise = rng.normal(0.0, cfg.jitter * person_px, uv.shape)
        uv = uv + noise
        z = np.linalg.norm(noise, axis=-1) / (cfg.jitter * person_px + 1e-9)
        # Joints behind the body (the far side) are less certain.
        behind = np.clip(
            (depth - np.median(depth, axis=-1, keepdims=True)) / 0.3, 0, 1)
        score = rng.normal(0.92, 0.03, z.shape) - 0.04 * z - 0.3 * behind
        score = np.clip(score, 0.05, 1.0)
        h, w = camera.image_shape
        outside = ((uv[..., 0] < 0) | (uv[..., 0] >= w) | (uv[..., 1] < 0) |
                   (uv[..., 1] >= h))
        missed = outside | (rng.random(score.shape) < cfg.drop_prob)
        uv[missed] = 0.0
        score[missed] = 0.0
        return dict(
            img_shape=(h, w),
            original_shape=(h, w),
            keypoint=uv.astype(np.float32),
            keypoint_score=score.astype(np.float32))

    def _observe_3d(self, rng: np.random.Generator, camera: Camera,
                    joints: np.ndarray) -> np.ndarray:
        """Camera-space metres (x right, y up, z forward), with sensor noise."""
        cam = camera.to_camera(joints)
        cam[..., 1] *= -1.0
        cam = cam + rng.normal(0.0, self.cfg.jitter, cam.shape)
        cam[rng.random(cam.shape[:-1]) < self.cfg.drop_prob] = 0.0
        return cam.astype(np.float32)

    # -- the whole set ------------------------------------------------------
    def generate(self) -> Dict:
        """All clips, with the cross-subject split.

        Returns:
            dict: ``{'split': {'xsub_train': [...], 'xsub_val': [...]},
            'annotations': [...]}`` as read by mmaction2's ``PoseDataset``.
        """
        annotations: List[Dict] = []
        split: Dict[str, List[str]] = {'xsub_train': [], 'xsub_val': []}
        for subject in range(1, self.cfg.num_subjects + 1):
            key = 'xsub_train' if self.is_train_subject(
                subject) else 'xsub_val'
            for label in range(len(self.class_names)):
                for repeat in range(self.cfg.repeats_of(label)):
                    ann = self.clip(subject, label, repeat)
                    annotations.append(ann)
                    split[key].append(ann['frame_dir'])
        return dict(split=split, annotations=annotations)

    def dump(self, path: str) -> Dict:
        """Generate and write the pickle, plus a class-name file beside it.

        Args:
            path (str): Output ``.pkl`` path; ``<stem>_classes.txt`` is written
                next to it, one class name per line in label order.

        Returns:
            dict: The generated data.
        """
        data = self.generate()
        folder = osp.dirname(osp.abspath(path))
        os.makedirs(folder, exist_ok=True)
        tmp = path + '.tmp'
        with open(tmp, 'wb') as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # never leave a half-written pickle behind
        with open(osp.splitext(path)[0] + '_classes.txt', 'w') as f:
            f.write('\n'.join(self.class_names) + '\n')
        return data

    def dump_if_changed(self,
                        path: str,
                        force: bool = False) -> Optional[Dict]:
        """Like :meth:`dump`, but skip the work if ``path`` already holds the
        set these settings make (recorded in ``<stem>_meta.json``).

        Returns:
            dict, optional: The generated data, or None if it was up to date.
        """
        meta_path = osp.splitext(path)[0] + '_meta.json'
        meta = json.loads(json.dumps(self.describe()))
        if not force and osp.isfile(path) and osp.isfile(meta_path):
            with open(meta_path) as f:
                if json.load(f) == meta:
                    return None
        data = self.dump(path)
        with open(meta_path, 'w') as f:
            json.dump(meta, f, indent=2)
        return data

    def describe(self) -> Dict:
        """The config as a plain dict, for logs and docs."""
        desc = asdict(self.cfg)
        desc['classes'] = list(self.class_names)
        if desc['class_repeats'] is None:
            # Left out, so sets written before it existed stay up to date.
            del desc['class_repeats']
        else:
            desc['class_repeats'] = list(desc['class_repeats'])
        desc['num_joints'] = len(LAYOUTS[self.cfg.layout])
        desc['body_joints'] = len(JOINTS)
        return desc


def _mirror(pose: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
    """Swap left and right limbs; negate the angles that turn sideways."""
    out = {}
    for name, angle in pose.items():
        if name[:2] in ('l_', 'r_'):
            other = ('r_' if name[0] == 'l' else 'l_') + name[2:]
            out[other] = angle
        elif name in ('head_yaw', 'trunk_roll'):
            out[name] = -angle
        else:
            out[name] = angle
    return out


def _slow_noise(rng: np.random.Generator, t: np.ndarray,
                std_deg: float) -> np.ndarray:
    """A smooth random deviation: two slow sinusoids of random phase."""
    if std_deg <= 0:
        return np.zeros_like(t)
    freqs = rng.uniform(0.05, 0.6, size=2)
    phases = rng.uniform(0, 2 * np.pi, size=2)
    amps = rng.normal(0, np.deg2rad(std_deg), size=2)
    return (amps[:, None] *
            np.sin(2 * np.pi * freqs[:, None] * t + phases[:, None])).sum(0)
