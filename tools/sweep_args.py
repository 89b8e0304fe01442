"""The sweep tools' command-line checks: the ``--model NAME CONFIG CKPT``
triples and the options of the summaries' statistics. They end the program
with a message (``SystemExit``), so they live in tools/, not the package."""
import argparse
import os.path as osp
import re
from typing import List, Sequence


def check_models(models: Sequence[Sequence[str]]) -> List[str]:
    """Check ``--model NAME CONFIG CKPT`` triples before anything runs.

    Returns:
        list[str]: The model names.

    Raises:
        SystemExit: on a repeated or unusable name, or a missing file.
    """
    names = [name for name, _, _ in models]
    if len(set(names)) != len(names):
        raise SystemExit(f'model names must be unique, got {names}')
    for name, config, checkpoint in models:
        if not re.fullmatch(r'[\w.+-]+', name):
            raise SystemExit(f'model name {name!r}: use letters, digits, '
                             '"_", "-", "+", "."')
        for path in (config, checkpoint):
            if not osp.isfile(path):
                raise SystemExit(f'{name}: file not found: {path}')
    return names


def add_classic_argument(parser: argparse.ArgumentParser, run: str) -> None:
    """``--classic NAME CONFIG MODEL`` (repeatable): a classic baseline
    saved by tools/baselines/classic.py, evaluated on the same corrupted
    test samples as the ``--model`` checkpoints; ``run`` says how."""
    parser.add_argument(
        '--classic',
        nargs=3,
        action='append',
        default=[],
        metavar=('NAME', 'CONFIG', 'MODEL'),
        help='a classic baseline saved by tools/baselines/classic.py '
        f'(.joblib), {run} (repeat for several)')


def add_stats_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the summaries' intervals and paired tests."""
    parser.add_argument(
        '--confidence',
        type=float,
        default=0.95,
        help='coverage of the bootstrap intervals (default 0.95)')
    parser.add_argument(
        '--bootstrap-resamples',
        type=int,
        default=10000,
        help='bootstrap resamples of the test samples (default 10000)')
    parser.add_argument(
        '--bootstrap-seed',
        type=int,
        default=0,
        help='seed of the bootstrap (default 0)')


def check_stats_arguments(args: argparse.Namespace) -> None:
    """Stop on bad ``--confidence`` or ``--bootstrap-resamples``."""
    if not 0 < args.confidence < 1:
        raise SystemExit(
            f'--confidence must be in (0, 1), got {args.confidence}')
    if args.bootstrap_resamples < 1:
        raise SystemExit('--bootstrap-resamples must be >= 1, got '
                         f'{args.bootstrap_resamples}')
