"""Render the synthetic skeletons as small videos of people on textures.

Example:
    python tools/data/make_synthetic_video.py --out-dir data/synthetic_video
    python tools/data/make_synthetic_video.py --variant unbiased --size 96 \\
        --frames 32 --out-dir data/synthetic_video
    python tools/data/make_synthetic_video.py --task fall-run-walk \\
        --variant unbiased --out-dir data/synthetic_fall_run_walk
"""
import argparse
import time
from collections import Counter

from mmhar_robust.synthetic import (ALL_CLASS_NAMES, TASKS, get_task,
                                    write_video_lists)
from mmhar_robust.synthetic.video import (VARIANTS, SyntheticVideoConfig,
                                          SyntheticVideoGenerator)
from mmhar_robust.synthetic.video.writer import CODEC_EXTENSIONS


def parse_args() -> argparse.Namespace:
    d = SyntheticVideoConfig()
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument(
        '--out-dir',
        default='data/synthetic_video',
        help='each variant goes to <out-dir>/<variant>/')
    p.add_argument(
        '--variant',
        choices=list(VARIANTS) + ['both'],
        default='both',
        help='biased: background tied to the class; unbiased: not')
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
        'x --repeats clips per subject); also writes train_list.txt and '
        'val_list.txt for mmaction2\'s VideoDataset; excludes --classes')
    p.add_argument('--train-fraction', type=float, default=d.train_fraction)
    p.add_argument(
        '--size',
        type=int,
        nargs='+',
        default=list(d.size),
        help='frame size: one int (square) or height width')
    p.add_argument('--frames', type=int, default=d.frames)
    p.add_argument('--fps', type=float, default=d.fps)
    p.add_argument(
        '--num-backgrounds',
        type=int,
        help='number of textures (default: one per class)')
    p.add_argument(
        '--pan-speed',
        type=float,
        default=d.pan_speed,
        help='largest camera pan, frame heights per frame (0: still)')
    p.add_argument(
        '--background-contrast',
        type=float,
        default=d.background_contrast,
        help='texture contrast in [0, 1]; lower makes the person stand out')
    p.add_argument('--two-person-prob', type=float, default=d.two_person_prob)
    p.add_argument('--view-range', type=float, default=d.view_range)
    p.add_argument(
        '--fourcc',
        choices=sorted(CODEC_EXTENSIONS),
        default=d.fourcc,
        help='mp4v: .mp4, lossy; FFV1: .avi, lossless')
    p.add_argument(
        '--no-plates',
        action='store_true',
        help='do not write the background-only plates')
    p.add_argument(
        '--force',
        action='store_true',
        help='regenerate even if the set exists with the same settings')
    args = p.parse_args()
    if len(args.size) not in (1, 2):
        p.error('--size takes one int or two (height width)')
    if args.task and args.classes:
        p.error('--task sets the classes; do not give --classes with it')
    return args


def main() -> None:
    args = parse_args()
    size = tuple(args.size) if len(args.size) == 2 else args.size[0]
    variants = VARIANTS if args.variant == 'both' else (args.variant, )
    classes, class_repeats = args.classes, None
    if args.task:
        task = get_task(args.task)
        classes, class_repeats = task.classes, task.class_repeats(args.repeats)
    for variant in variants:
        cfg = SyntheticVideoConfig(
            variant=variant,
            num_subjects=args.num_subjects,
            repeats=args.repeats,
            classes=classes,
            class_repeats=class_repeats,
            train_fraction=args.train_fraction,
            size=size,
            frames=args.frames,
            fps=args.fps,
            num_backgrounds=args.num_backgrounds,
            pan_speed=args.pan_speed,
            background_contrast=args.background_contrast,
            two_person_prob=args.two_person_prob,
            view_range=args.view_range,
            fourcc=args.fourcc,
            plates=not args.no_plates,
            seed=args.seed)
        generator = SyntheticVideoGenerator(cfg)
        root = f'{args.out_dir.rstrip("/")}/{variant}'
        start = time.perf_counter()
        data = generator.dump_if_changed(root, force=args.force)
        if data is None:
            print(f'{root} is up to date (same settings); use --force to '
                  'regenerate')
            continue
        if args.task:
            write_video_lists(root, data)
        backgrounds = Counter(a['background'] for a in data['annotations'])
        print(
            f'wrote {root}: {len(data["annotations"])} clips '
            f'({", ".join(f"{k} {len(v)}" for k, v in data["split"].items())}'
            f'), {len(generator.class_names)} classes, '
            f'{cfg.size[0]}x{cfg.size[1]} x {cfg.frames} frames, '
            f'{len(backgrounds)} backgrounds used, '
            f'{time.perf_counter() - start:.1f} s')
        counts = Counter(a['label'] for a in data['annotations'])
        per_class = ', '.join(f'{generator.class_names[k]} {v}'
                              for k, v in sorted(counts.items()))
        print(f'clips per class: {per_class}')


if __name__ == '__main__':
    main()
