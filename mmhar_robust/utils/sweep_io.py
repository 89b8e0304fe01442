"""What the sweep tools (noise sweep, background influence) share on their
command line: checking the ``--model NAME CONFIG CKPT`` triples and writing
result tables."""
import csv
import json
import os.path as osp
import re
from typing import Dict, List, Sequence


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


def write_table(rows: List[Dict], path: str) -> None:
    """``rows`` as a CSV at ``path`` and as JSON beside it."""
    keys = list(dict.fromkeys(k for row in rows for k in row))
    with open(path, 'w', newline='', encoding='utf-8') as f:
        writer = csv.DictWriter(f, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)
    with open(osp.splitext(path)[0] + '.json', 'w', encoding='utf-8') as f:
        json.dump(rows, f, indent=1)
