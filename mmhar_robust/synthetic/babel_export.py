"""Write synthetic 3D clips as BABEL's action-recognition release.

So that the BABEL configs, the class-balancing tools and the noise sweep run
on a fresh machine, and so that the tests read the release's exact files.
Clips are cut into 150-frame chunks and zero-padded like BABEL's; the
coordinates are left in camera space (the release's are already
normalised), so the pipeline's normalisation transforms have work to do.
"""
import math
from typing import Dict, List, Optional

import numpy as np

from ..datasets.babel_format import write_label_map, write_release
from .generator import SyntheticSkeletonConfig, SyntheticSkeletonGenerator


def _kept_repeats(label: int, num_labels: int, repeats: int,
                  imbalance: float) -> int:
    """Clips kept per subject for a class: geometric decay from all of
    them for label 0 to ``imbalance`` of them for the last label."""
    if num_labels == 1:
        return repeats
    frac = imbalance**(label / (num_labels - 1))
    return max(1, math.ceil(repeats * frac))


def export_babel(folder: str,
                 cfg: Optional[SyntheticSkeletonConfig] = None,
                 num_classes: Optional[int] = None,
                 chunk_frames: int = 150,
                 imbalance: float = 1.0,
                 extra: bool = False) -> Dict[str, Dict[str, str]]:
    """Generate the set and write ``train``/``val`` release files.

    Args:
        folder (str): Output folder.
        cfg (SyntheticSkeletonConfig, optional): Generator settings; the
            layout is forced to ``'nturgb+d'``. Defaults to the defaults.
        num_classes (int, optional): Size of the label set in the file
            names and the label map; must hold every synthetic class.
            Defaults to the number of synthetic classes.
        chunk_frames (int): Frames per chunk (BABEL: 5 s at 30 fps).
            Defaults to 150.
        imbalance (float): Fraction of clips kept for the last class, with
            a geometric decay from the first; 1 keeps all. Defaults to 1.
        extra (bool): Write the ``_extra_`` file names. Defaults to False.

    Returns:
        dict: Per split, the paths written.
    """
    cfg = cfg or SyntheticSkeletonConfig()
    cfg.layout = 'nturgb+d'
    gen = SyntheticSkeletonGenerator(cfg)
    names: List[str] = list(gen.class_names)
    num_classes = num_classes or len(names)
    if num_classes < len(names):
        raise ValueError(f'num_classes={num_classes} cannot hold the '
                         f'{len(names)} synthetic classes')
    if not 0 < imbalance <= 1:
        raise ValueError(f'imbalance must be in (0, 1], got {imbalance}')
    rows: Dict[str, Dict[str, list]] = {
        s: dict(x=[], seg=[], label=[], sid=[], chunk=[], anntr=[])
        for s in ('train', 'val')
    }
    for subject in range(1, cfg.num_subjects + 1):
        split = rows['train' if gen.is_train_subject(subject) else 'val']
        for label in range(len(names)):
            for repeat in range(
                    _kept_repeats(label, len(names), cfg.repeats, imbalance)):
                clip = gen.clip(subject, label, repeat)
                actor = clip['keypoint'][0]  # (T, 25, 3): BABEL is 1 person
                for n, start in enumerate(range(0, len(actor), chunk_frames)):
                    chunk = np.zeros((chunk_frames, 25, 3), np.float32)
                    part = actor[start:start + chunk_frames]
                    chunk[:len(part)] = part
                    split['x'].append(chunk.transpose(2, 0, 1)[..., None])
                    split['seg'].append(clip['frame_dir'])
                    split['label'].append(label)
                    split['sid'].append(subject)
                    split['chunk'].append(n)
                    split['anntr'].append('synthetic')
    written = {}
    for split, r in rows.items():
        written[split] = write_release(
            folder,
            split,
            num_classes,
            np.stack(r['x']).astype(np.float32),
            r['seg'],
            r['label'],
            r['sid'],
            r['chunk'],
            r['anntr'],
            extra=extra)
    names += [f'unused class {i}' for i in range(len(names), num_classes)]
    label_map = write_label_map(folder, names)
    for paths in written.values():
        paths['label_map_file'] = label_map
    return written
