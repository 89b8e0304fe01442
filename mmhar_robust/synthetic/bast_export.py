"""Export synthetic COCO-17 clips as a BAST-format folder (docs/bast.md).

Each "video" is several clips of one subject played one after the other, so
its annotation table has consecutive segments, as a dance recording cut by an
annotator would. The base label of a segment is the synthetic class; its
evaluation labels say how the clip was performed:

- ``<class>-tempo-slow`` when the clip's speed lies in the lower half of
  ``cfg.speed_range``, ``<class>-tempo-fast`` in its top sixth;
- for whole-body classes only, ``<class>-size-narrow`` when the amplitude
  lies in the bottom sixth of ``cfg.amplitude_range``, ``<class>-size-wide``
  in its upper half.

So a segment has zero, one or two evaluation labels, and the labels are
imbalanced (about 3:1 within an aspect; local classes have no size labels),
as BAST's are.
"""
import dataclasses
import os.path as osp
from collections import Counter
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..datasets.bast_format import (write_annotation_table, write_label_file,
                                    write_pose_file)
from .actions import ACTIONS, ClipStyle
from .generator import SyntheticSkeletonConfig, SyntheticSkeletonGenerator

_SCOPES = {a.name: a.scope for a in ACTIONS}
_ORDER_STREAM = 4_242_424  # keeps the clip order apart from the clips' draws


def synthetic_eval_classes(class_names: Sequence[str]) -> List[str]:
    """Every evaluation label the export can give, in label-file order."""
    names = []
    for name in class_names:
        names += [f'{name}-tempo-slow', f'{name}-tempo-fast']
        if _SCOPES[name] == 'whole-body':
            names += [f'{name}-size-narrow', f'{name}-size-wide']
    return names


def synthetic_eval_labels(class_name: str, style: ClipStyle,
                          cfg: SyntheticSkeletonConfig) -> Tuple[str, ...]:
    """The evaluation labels of a clip of ``class_name`` done in ``style``
    (see the module docstring)."""

    def position(value: float, bounds: Tuple[float, float]) -> float:
        low, high = bounds
        return (value - low) / (high - low) if high > low else 0.5

    labels = []
    tempo = position(style.speed, cfg.speed_range)
    if tempo < 1 / 2:
        labels.append(f'{class_name}-tempo-slow')
    elif tempo >= 5 / 6:
        labels.append(f'{class_name}-tempo-fast')
    if _SCOPES[class_name] == 'whole-body':
        size = position(style.amplitude, cfg.amplitude_range)
        if size < 1 / 6:
            labels.append(f'{class_name}-size-narrow')
        elif size >= 1 / 2:
            labels.append(f'{class_name}-size-wide')
    return tuple(labels)


class _StyleRecorder(SyntheticSkeletonGenerator):
    """The generator, noting the style each clip's actor was drawn with."""

    def _perform(self, rng, program, *args, **kwargs):

        def recorded(t, style):
            self.styles.append(style)
            return program(t, style)

        return super()._perform(rng, recorded, *args, **kwargs)

    def clip_and_style(self, subject: int, label: int,
                       repeat: int) -> Tuple[Dict, ClipStyle]:
        self.styles: List[ClipStyle] = []
        ann = self.clip(subject, label, repeat)
        return ann, self.styles[0]  # the actor comes before any bystander


def _concatenate(anns: Sequence[Dict]) -> Tuple[np.ndarray, np.ndarray]:
    """Clips one after the other; people missing from a clip are zeros."""
    people = max(a['keypoint'].shape[0] for a in anns)
    kps, scores = [], []
    for ann in anns:
        pad = people - ann['keypoint'].shape[0]
        kps.append(np.pad(ann['keypoint'], ((0, pad), (0, 0), (0, 0), (0, 0))))
        scores.append(
            np.pad(ann['keypoint_score'], ((0, pad), (0, 0), (0, 0))))
    return np.concatenate(kps, axis=1), np.concatenate(scores, axis=1)


def export_bast(root: str,
                cfg: Optional[SyntheticSkeletonConfig] = None,
                segments_per_video: int = 4) -> Dict:
    """Write the synthetic set as a BAST folder that ``BASTDataset`` reads.

    Writes ``poses/<video>.pkl``, ``annotations/{train,val}.csv`` (split by
    subject like the generator's ``xsub`` split) and
    ``labels_{base,eval}.txt`` under ``root``, with the writers of
    :mod:`mmhar_robust.datasets.bast_format`.

    Args:
        root (str): Output folder.
        cfg (SyntheticSkeletonConfig, optional): The clips; must use the
            ``'coco'`` layout. Every clip is filmed at ``image_shapes[0]``
            so that a video has one frame size. Defaults to None: 3
            subjects, one clip per class, 8-16 s segments at 10 fps, 480p
            (39 segments in 12 videos; about 1 s to write), which the
            dataset's default 10 s / 5 s clips suit.
        segments_per_video (int): Clips per video (a subject's last video
            may have fewer). Defaults to 4.

    Returns:
        dict: ``root``, ``ann_files`` and ``label_files`` (paths by split and
        task), ``pose_dir``, ``videos`` and ``segments`` (counts by split),
        ``base_classes``, ``eval_classes``, ``eval_counts`` (segments per
        evaluation label), ``fps`` and ``img_shape``.
    """
    if cfg is None:
        cfg = SyntheticSkeletonConfig(
            num_subjects=3,
            repeats=1,
            fps=10.0,
            frames_range=(80, 160),
            train_fraction=0.67)
    if cfg.layout != 'coco':
        raise ValueError('BAST holds COCO-17 2D poses; cfg.layout must be '
                         f"'coco', got {cfg.layout!r}")
    if segments_per_video < 1:
        raise ValueError(
            f'segments_per_video must be >= 1, got {segments_per_video}')
    cfg = dataclasses.replace(cfg, image_shapes=(tuple(cfg.image_shapes[0]), ))
    gen = _StyleRecorder(cfg)
    classes = list(gen.class_names)
    pose_dir = osp.join(root, 'poses')
    rows: Dict[str, List[Dict]] = {'train': [], 'val': []}
    videos: Counter = Counter()
    eval_counts: Counter = Counter()
    for subject in range(1, cfg.num_subjects + 1):
        split = 'train' if gen.is_train_subject(subject) else 'val'
        items = [(label, repeat) for label in range(len(classes))
                 for repeat in range(cfg.repeats)]
        order = np.random.default_rng([cfg.seed, _ORDER_STREAM,
                                       subject]).permutation(len(items))
        items = [items[i] for i in order]
        for number, first in enumerate(
                range(0, len(items), segments_per_video)):
            video = f'S{cfg.seed:03d}P{subject:03d}V{number + 1:02d}'
            anns, offset = [], 0
            for label, repeat in items[first:first + segments_per_video]:
                ann, style = gen.clip_and_style(subject, label, repeat)
                evals = synthetic_eval_labels(classes[label], style, cfg)
                eval_counts.update(evals)
                frames = ann['total_frames']
                rows[split].append(
                    dict(
                        video=video,
                        start=offset / cfg.fps,
                        end=(offset + frames) / cfg.fps,
                        base_label=classes[label],
                        eval_labels=evals))
                anns.append(ann)
                offset += frames
            keypoint, score = _concatenate(anns)
            write_pose_file(
                osp.join(pose_dir, f'{video}.pkl'), keypoint, score,
                anns[0]['img_shape'], cfg.fps)
            videos[split] += 1
    ann_files = {s: osp.join(root, 'annotations', f'{s}.csv') for s in rows}
    for split, table in rows.items():
        write_annotation_table(ann_files[split], table)
    eval_classes = synthetic_eval_classes(classes)
    label_files = {
        t: osp.join(root, f'labels_{t}.txt')
        for t in ('base', 'eval')
    }
    write_label_file(label_files['base'], classes)
    write_label_file(label_files['eval'], eval_classes)
    return dict(
        root=root,
        ann_files=ann_files,
        label_files=label_files,
        pose_dir=pose_dir,
        videos=dict(videos),
        segments={
            s: len(t)
            for s, t in rows.items()
        },
        base_classes=classes,
        eval_classes=eval_classes,
        eval_counts={n: eval_counts[n]
                     for n in eval_classes},
        fps=cfg.fps,
        img_shape=tuple(cfg.image_shapes[0]))
