"""Render the synthetic skeletons as small videos of people on textures.

Every clip of the skeleton generator becomes a video: the people are drawn
from the keypoints (filled limbs, torso and head), on a procedural texture
that the camera slowly pans across. The annotation written next to the videos
holds exactly the drawn keypoints, in the video's pixels.

Two variants share every skeleton, outfit, framing and camera pan, and differ
only in which texture is behind the person: ``biased`` ties the texture to the
class (texture ``label % num_backgrounds``), so the background alone gives
the class away; ``unbiased`` draws it independently of the class.
"""
import json
import os
import os.path as osp
import pickle
from dataclasses import asdict
from typing import Dict, List, Optional, Tuple

import numpy as np

from ...utils.safe_pickle import load_pickle
from ..actions import ALL_CLASS_NAMES
from ..generator import SyntheticSkeletonGenerator
from .config import SyntheticVideoConfig
from .framing import fit_to_frame
from .painter import Outfit, draw_people
from .textures import texture_bank
from .writer import video_extension, write_video

RENDER_VERSION = 1  # bump when the pictures change, so old dumps are redone
ANNOTATION_FILE = 'annotations.pkl'
_SCENE_STREAM = 6007  # framing, pan, shirt: the same in both variants
_OUTFIT_STREAM = 6011  # a subject's skin and trousers
_BACKGROUND_STREAM = 6029  # the unbiased variant's choice of texture


class SyntheticVideoGenerator:
    """Render and write the synthetic video set described by a config.

    Args:
        cfg (SyntheticVideoConfig): The knobs. Defaults to the defaults.

    Example:
        >>> gen = SyntheticVideoGenerator(SyntheticVideoConfig(frames=8))
        >>> ann, video, plate = gen.clip(subject=1, label=0, repeat=0)
        >>> video.shape, ann['keypoint'].shape
        ((8, 64, 64, 3), (1, 8, 17, 2))
    """

    def __init__(self, cfg: Optional[SyntheticVideoConfig] = None) -> None:
        self.cfg = cfg or SyntheticVideoConfig()
        self.skeletons = SyntheticSkeletonGenerator(self.cfg.skeleton_config())
        self.class_names: Tuple[str, ...] = self.skeletons.class_names
        self.textures = texture_bank(
            self.cfg.seed, self.cfg.num_backgrounds or len(self.class_names))

    def _key(self, subject: int, label: int, repeat: int) -> List[int]:
        action = ALL_CLASS_NAMES.index(self.class_names[label])
        return [subject, action, repeat]

    def background_id(self, subject: int, label: int, repeat: int) -> int:
        """The texture behind a clip: a function of the label when biased,
        an independent uniform draw when unbiased."""
        if self.cfg.variant == 'biased':
            return label % len(self.textures)
        rng = np.random.default_rng([self.cfg.seed, _BACKGROUND_STREAM] +
                                    self._key(subject, label, repeat))
        return int(rng.integers(len(self.textures)))

    def clip(self, subject: int, label: int,
             repeat: int) -> Tuple[Dict, np.ndarray, np.ndarray]:
        """Render one clip.

        Args:
            subject (int): 1-based subject id.
            label (int): Index into :attr:`class_names`.
            repeat (int): Repetition number, 0-based.

        Returns:
            tuple: The annotation (see docs/synthetic_video.md), the video
            ``(T, H, W, 3)`` uint8 RGB and its background plate (the same
            frames without the people).
        """
        cfg = self.cfg
        ann = self.skeletons.clip(subject, label, repeat)
        scene = np.random.default_rng([cfg.seed, _SCENE_STREAM] +
                                      self._key(subject, label, repeat))
        fill = float(scene.uniform(*cfg.fill_range))
        shift = tuple(scene.uniform(-1, 1, 2))
        offset = tuple(scene.uniform(-0.5, 0.5, 2))
        angle = scene.uniform(0, 2 * np.pi)
        speed = scene.uniform(0, cfg.pan_speed)
        pan = (speed * np.cos(angle), speed * np.sin(angle))
        outfits = [
            Outfit.sample(
                np.random.default_rng([cfg.seed, _OUTFIT_STREAM, subject]),
                scene)
        ]
        for _ in range(1, ann['keypoint'].shape[0]):  # strangers
            outfits.append(Outfit.sample(scene, scene))

        keypoint = fit_to_frame(ann['keypoint'], ann['keypoint_score'],
                                cfg.size, fill, shift)
        background = self.background_id(subject, label, repeat)
        plate = self.textures[background].render(cfg.size, cfg.frames, offset,
                                                 pan, cfg.background_contrast)
        video = plate.copy()
        draw_people(video, keypoint, ann['keypoint_score'], tuple(outfits))

        name = ann['frame_dir']
        ext = video_extension(cfg.fourcc)
        ann.update(
            filename=f'videos/{name}{ext}',
            img_shape=cfg.size,
            original_shape=cfg.size,
            keypoint=keypoint,
            background=background)
        if cfg.plates:
            ann['plate'] = f'plates/{name}{ext}'
        return ann, video, plate

    def dump(self, root: str) -> Dict:
        """Render every clip and write the set under ``root``.

        Writes ``videos/``, ``plates/`` (if enabled), ``annotations.pkl``
        (MMAction2 pose format; the split lists ``filename`` values, the key
        ``PoseDataset`` selects by when annotations have one),
        ``annotations_classes.txt`` and ``annotations_meta.json``.

        Returns:
            dict: ``{'split': ..., 'annotations': ...}`` as written.
        """
        cfg = self.cfg
        meta_path = osp.join(root, 'annotations_meta.json')
        if osp.isfile(meta_path):
            os.remove(meta_path)  # an interrupted dump must not look complete
        for folder in ('videos', 'plates') if cfg.plates else ('videos', ):
            os.makedirs(osp.join(root, folder), exist_ok=True)
        annotations: List[Dict] = []
        split: Dict[str, List[str]] = {'xsub_train': [], 'xsub_val': []}
        for subject in range(1, cfg.num_subjects + 1):
            key = ('xsub_train'
                   if self.skeletons.is_train_subject(subject) else 'xsub_val')
            for label in range(len(self.class_names)):
                for repeat in range(self.skeletons.cfg.repeats_of(label)):
                    ann, video, plate = self.clip(subject, label, repeat)
                    write_video(
                        osp.join(root, ann['filename']), video, cfg.fps,
                        cfg.fourcc)
                    if cfg.plates:
                        write_video(
                            osp.join(root, ann['plate']), plate, cfg.fps,
                            cfg.fourcc)
                    annotations.append(ann)
                    split[key].append(ann['filename'])
        data = dict(split=split, annotations=annotations)
        path = osp.join(root, ANNOTATION_FILE)
        with open(path + '.tmp', 'wb') as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(path + '.tmp', path)
        with open(osp.join(root, 'annotations_classes.txt'), 'w') as f:
            f.write('\n'.join(self.class_names) + '\n')
        with open(meta_path, 'w') as f:
            json.dump(self.describe(), f, indent=2)
        return data

    def dump_if_changed(self,
                        root: str,
                        force: bool = False) -> Optional[Dict]:
        """Like :meth:`dump`, but do nothing if ``root`` already holds the set
        these settings make (recorded in ``annotations_meta.json``) with every
        video it lists.

        Returns:
            dict, optional: The written data, or None if it was up to date.
        """
        if not force and self._up_to_date(root):
            return None
        return self.dump(root)

    def _up_to_date(self, root: str) -> bool:
        meta_path = osp.join(root, 'annotations_meta.json')
        path = osp.join(root, ANNOTATION_FILE)
        if not (osp.isfile(meta_path) and osp.isfile(path)):
            return False
        with open(meta_path) as f:
            if json.load(f) != self.describe():
                return False
        annotations = load_pickle(path)['annotations']
        return all(
            osp.isfile(osp.join(root, ann[key])) for ann in annotations
            for key in ('filename', 'plate') if key in ann)

    def describe(self) -> Dict:
        """The config as plain JSON data, for the meta file and logs."""
        desc = asdict(self.cfg)
        desc['classes'] = list(self.class_names)
        if desc['class_repeats'] is None:
            # Left out, so sets written before it existed stay up to date.
            del desc['class_repeats']
        desc['backgrounds'] = [t.family for t in self.textures]
        desc['render_version'] = RENDER_VERSION
        return json.loads(json.dumps(desc))
