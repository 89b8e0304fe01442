"""Task presets: a named class list with its imbalance, for both data tools.

A preset fixes which classes a synthetic set has and how many clips per
subject each gets (its weight times ``repeats``); everything else (subjects,
frames, size, seed) stays a knob of the tools. ``fall-run-walk`` is seed
002's task: falling, running, walking, with falls a small minority (10 % of
the clips; the seed's own class counts are only in its figures).
"""
import os.path as osp
from dataclasses import dataclass
from typing import Dict, Sequence, Tuple

from .actions import ALL_CLASS_NAMES

# mmaction2 VideoDataset list files written for a video set, by split.
LIST_FILES: Dict[str, str] = {
    'xsub_train': 'train_list.txt',
    'xsub_val': 'val_list.txt'
}


@dataclass(frozen=True)
class SyntheticTask:
    """A class list and its imbalance.

    Args:
        name (str): The preset's name (``--task``).
        classes (tuple[str]): Class names in label order.
        weights (tuple[int]): Clips per subject of each class when
            ``repeats`` is 1.
        description (str): One line for ``--help`` and logs.
    """
    name: str
    classes: Tuple[str, ...]
    weights: Tuple[int, ...]
    description: str

    def __post_init__(self) -> None:
        unknown = [c for c in self.classes if c not in ALL_CLASS_NAMES]
        if unknown or len(self.weights) != len(self.classes) or min(
                self.weights) < 1:
            raise ValueError(f'task {self.name!r}: classes {self.classes} '
                             f'(unknown: {unknown}) and weights '
                             f'{self.weights} do not match')

    def class_repeats(self, repeats: int) -> Tuple[int, ...]:
        """Clips per subject of each class: ``weight * repeats``."""
        if repeats < 1:
            raise ValueError(f'task {self.name!r}: repeats must be >= 1, '
                             f'got {repeats}')
        return tuple(w * repeats for w in self.weights)

    def proportions(self) -> Tuple[float, ...]:
        """Each class's share of the clips."""
        total = sum(self.weights)
        return tuple(w / total for w in self.weights)


FALL_RUN_WALK = SyntheticTask(
    name='fall-run-walk',
    classes=('fall', 'run', 'walk'),
    weights=(1, 4, 5),
    description='seed 002: fall / run / walk, falls 10 % of the clips')
TASKS: Dict[str, SyntheticTask] = {FALL_RUN_WALK.name: FALL_RUN_WALK}


def get_task(name: str) -> SyntheticTask:
    """The preset called ``name``; a KeyError lists the known ones."""
    if name not in TASKS:
        raise KeyError(f'unknown task {name!r}; known tasks: {sorted(TASKS)}')
    return TASKS[name]


def write_video_lists(
    root: str, data: Dict,
    splits: Sequence[str] = tuple(LIST_FILES)) -> Dict[str, str]:
    """Write a video set's splits as mmaction2 ``VideoDataset`` lists.

    One ``videos/NAME.mp4 LABEL`` line per clip (paths relative to ``root``,
    the ``data_prefix``), so the set reads like seed 002's real lists.

    Args:
        root (str): The set's folder (holding ``videos/``).
        data (dict): ``{'split': ..., 'annotations': ...}`` as the video
            generator's ``dump`` returns it.
        splits (Sequence[str]): Splits to write. Defaults to
            ``('xsub_train', 'xsub_val')``.

    Returns:
        dict: Split name to the path written.
    """
    labels = {a['filename']: a['label'] for a in data['annotations']}
    written = {}
    for split in splits:
        if split not in data['split'] or split not in LIST_FILES:
            raise KeyError(f'{root}: no split {split!r} to write (known: '
                           f'{sorted(set(data["split"]) & set(LIST_FILES))})')
        path = osp.join(root, LIST_FILES[split])
        with open(path, 'w') as f:
            for filename in data['split'][split]:
                f.write(f'{filename} {labels[filename]}\n')
        written[split] = path
    return written
