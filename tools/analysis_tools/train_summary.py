"""Print the validation accuracy of a training run, epoch by epoch.

Reads the ``vis_data/scalars.json`` files MMEngine's ``LocalVisBackend`` writes
under a work dir (one per launch, so a resumed run is read whole) and prints the
validation metrics per epoch, the best epoch and the last one.

Example:
    python tools/analysis_tools/train_summary.py work_dirs/demo/posec3d_supervised
"""
import argparse
import glob
import json
import os.path as osp
import sys
from typing import Dict, List


def read_val_scalars(work_dir: str) -> List[Dict[str, float]]:
    """Validation records of every launch in ``work_dir``, by epoch (the last
    record of an epoch wins, so a resumed run's re-validation replaces it)."""
    files = sorted(
        glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    if not files:
        raise FileNotFoundError(
            f'no */vis_data/scalars.json under {work_dir}: is it the '
            '--work-dir of a training run?')
    by_epoch: Dict[int, Dict[str, float]] = {}
    for path in files:
        with open(path, encoding='utf-8') as f:
            for number, line in enumerate(f, 1):
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as err:
                    raise ValueError(f'{path}, line {number}: not JSON '
                                     f'({err})') from err
                if 'acc/top1' in record:  # validation records only
                    by_epoch[int(record['step'])] = record
    return [dict(by_epoch[e], epoch=e) for e in sorted(by_epoch)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('work_dir')
    parser.add_argument(
        '--metric',
        default='acc/top1',
        help='metric that picks the best epoch')
    args = parser.parse_args()
    records = read_val_scalars(args.work_dir)
    if not records:
        print(f'{args.work_dir}: no validation has run yet')
        return 1
    keys = [
        k for k in ('acc/top1', 'acc/top5', 'acc/mean1') if k in records[0]
    ]
    print(f'validation of {args.work_dir}')
    print('epoch  ' + '  '.join(f'{k:>9}' for k in keys))
    for r in records:
        print(f'{r["epoch"]:>5}  ' + '  '.join(f'{100 * r[k]:8.2f}%'
                                               for k in keys))
    best = max(records, key=lambda r: r[args.metric])
    last = records[-1]
    print(f'best {args.metric}: {100 * best[args.metric]:.2f}% at epoch '
          f'{best["epoch"]}; last (epoch {last["epoch"]}): '
          f'{100 * last[args.metric]:.2f}%')
    return 0


if __name__ == '__main__':
    sys.exit(main())
