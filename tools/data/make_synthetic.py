"""Write the embedded synthetic skeleton dataset as an MMAction2 pose pickle.

Example:
    python tools/data/make_synthetic.py --out data/synthetic/synthetic_2d.pkl
    python tools/data/make_synthetic.py --layout nturgb+d \\
        --out data/synthetic/synthetic_3d.pkl
    python tools/data/make_synthetic.py --task fall-run-walk \\
        --out data/synthetic_fall_run_walk/fall_run_walk_2d.pkl
"""
import argparse
import json
import time
from collections import Counter

from mmhar_robust.synthetic import (ALL_CLASS_NAMES, TASKS,
                                    SyntheticSkeletonConfig,
                                    SyntheticSkeletonGenerator, get_task)


def parse_args() -> argparse.Namespace:
    d = SyntheticSkeletonConfig()
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument(
        '--out',
        default='data/synthetic/synthetic_2d.pkl',
        help='output .pkl path')
    p.add_argument('--seed', type=int, default=d.seed)
    p.add_argument('--num-subjects', type=int, default=d.num_subjects)
    p.add_argument(
        '--repeats',
        type=int,
        default=d.repeats,
        help='clips per subject and class')
    p.add_argument(
        '--classes',
        nargs='+',
        choices=ALL_CLASS_NAMES,
        help='classes in label order (default: the 13 default classes)')
    p.add_argument(
        '--task',
        choices=sorted(TASKS),
        help='a preset of classes and imbalance (each class gets its weight '
        'x --repeats clips per subject); excludes --classes')
    p.add_argument(
        '--layout',
        choices=['coco', 'nturgb+d'],
        default=d.layout,
        help='coco: 17 2D joints in pixels; nturgb+d: 25 3D joints '
        'in metres')
    p.add_argument('--train-fraction', type=float, default=d.train_fraction)
    p.add_argument('--min-frames', type=int, default=d.frames_range[0])
    p.add_argument('--max-frames', type=int, default=d.frames_range[1])
    p.add_argument('--two-person-prob', type=float, default=d.two_person_prob)
    p.add_argument(
        '--jitter',
        type=float,
        default=d.jitter,
        help='estimator noise (fraction of person height in 2D, '
        'metres in 3D)')
    p.add_argument('--drop-prob', type=float, default=d.drop_prob)
    p.add_argument(
        '--view-range',
        type=float,
        default=d.view_range,
        help='max body heading vs camera, degrees')
    p.add_argument(
        '--force',
        action='store_true',
        help='regenerate even if the file exists with the same '
        'settings')
    args = p.parse_args()
    if args.task and args.classes:
        p.error('--task sets the classes; do not give --classes with it')
    return args


def main() -> None:
    args = parse_args()
    classes, class_repeats = args.classes, None
    if args.task:
        task = get_task(args.task)
        classes, class_repeats = task.classes, task.class_repeats(args.repeats)
    cfg = SyntheticSkeletonConfig(
        num_subjects=args.num_subjects,
        repeats=args.repeats,
        classes=classes,
        class_repeats=class_repeats,
        train_fraction=args.train_fraction,
        layout=args.layout,
        frames_range=(args.min_frames, args.max_frames),
        two_person_prob=args.two_person_prob,
        jitter=args.jitter,
        drop_prob=args.drop_prob,
        view_range=args.view_range,
        seed=args.seed)
    generator = SyntheticSkeletonGenerator(cfg)
    start = time.perf_counter()
    data = generator.dump_if_changed(args.out, force=args.force)
    if data is None:
        print(f'{args.out} is up to date (same settings); use --force to '
              'regenerate')
        return
    counts = Counter(a['label'] for a in data['annotations'])
    print(f'wrote {args.out}: {len(data["annotations"])} clips '
          f'({", ".join(f"{k} {len(v)}" for k, v in data["split"].items())}), '
          f'{len(generator.class_names)} classes, '
          f'{time.perf_counter() - start:.1f} s')
    print(
        'clips per class:',
        json.dumps({
            generator.class_names[k]: v
            for k, v in sorted(counts.items())
        }))


if __name__ == '__main__':
    main()
