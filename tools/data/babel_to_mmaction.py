"""Convert BABEL's action-recognition release to an MMAction2 pose pickle.

``BABELDataset`` reads the release in place; this is for users who prefer a
single file that mmaction2's own ``PoseDataset`` reads. Keypoints are written
as float32 ``(M, T, 25, 3)`` (float16, as some converters use, quantises
coordinates near 1e-3 m, the size of the smallest noise levels).

Example:
    python tools/data/babel_to_mmaction.py data/babel --num-classes 60 \\
        --out data/babel/babel60_3d.pkl
"""
import argparse
import os
import os.path as osp
import pickle
import time
from typing import List, Optional, Tuple

import numpy as np

from mmhar_robust.datasets.babel_format import (BABELLabels, check_finite,
                                                frame_dirs, open_skeletons,
                                                read_labels, to_keypoint)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('data_root', help='folder with the release files')
    p.add_argument('--num-classes', type=int, choices=[60, 120], default=60)
    p.add_argument(
        '--extra',
        action='store_true',
        help='convert the *_extra_* files (dense + extra annotations)')
    p.add_argument(
        '--splits',
        nargs='+',
        default=['train', 'val'],
        help='splits to convert (the release has train and val)')
    p.add_argument('--out', required=True, help='output .pkl path')
    return p.parse_args(argv)


def open_split(data_root: str, split: str, num_classes: int,
               extra: bool) -> Tuple[BABELLabels, np.ndarray]:
    """One split's labels and memory-mapped skeletons, checked: label
    file, array shape (no ``T = 0``) and values (no NaN or inf)."""
    tag = f'{split}_extra' if extra else split
    label_file = osp.join(data_root, f'{tag}_label_{num_classes}.pkl')
    babel = read_labels(label_file, num_classes)
    data_file = osp.join(data_root, f'{tag}_ntu_sk_{num_classes}.npy')
    skeletons = open_skeletons(data_file, len(babel.seg_ids), label_file)
    check_finite(skeletons, data_file, babel.seg_ids)
    return babel, skeletons


def convert_split(babel: BABELLabels, skeletons: np.ndarray) -> list:
    """The annotations of one split, in MMAction2's pose format."""
    return [
        dict(
            frame_dir=name,
            label=int(babel.labels[i]),
            keypoint=to_keypoint(skeletons[i]),
            total_frames=skeletons.shape[2],
            seg_id=babel.seg_ids[i],
            sid=babel.sids[i],
            chunk_n=babel.chunk_ns[i],
            anntr_id=babel.anntr_ids[i])
        for i, name in enumerate(frame_dirs(babel))
    ]


def convert(args: argparse.Namespace) -> None:
    """Check every split, then convert them and write one pickle."""
    start = time.time()
    # Every split is checked before any is converted.
    opened = [
        open_split(args.data_root, name, args.num_classes, args.extra)
        for name in args.splits
    ]
    split, annotations = {}, []
    for name, (babel, skeletons) in zip(args.splits, opened):
        annos = convert_split(babel, skeletons)
        split[name] = [a['frame_dir'] for a in annos]
        annotations += annos
        print(f'{name}: {len(annos)} samples')
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    tmp = args.out + '.tmp'
    with open(tmp, 'wb') as f:
        pickle.dump(
            dict(split=split, annotations=annotations),
            f,
            protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, args.out)  # never leave a half-written file
    print(f'wrote {args.out} ({len(annotations)} samples) in '
          f'{time.time() - start:.1f} s')


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    try:
        convert(args)
    except (FileNotFoundError, ValueError) as err:  # named file and sample
        raise SystemExit(f'babel_to_mmaction.py: {err}') from None


if __name__ == '__main__':
    main()
