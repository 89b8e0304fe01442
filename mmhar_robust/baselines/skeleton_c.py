"""The Skeleton-C suite on a fitted classic model, written as the deep
models' runs.

The conditions, the place of the corruption and mitigation, the settings
and the counting out of one-person clips are
:class:`~mmhar_robust.engine.runner.skeleton_c_conditions.SkeletonCConditions`,
the same object :class:`SkeletonCTestLoop` uses, so a classic model's
``results_<name>.jsonl`` has the deep runs' header settings, record keys
and per-sample outcomes, and ``tools/skeleton_c.py`` puts it in the same
tables and paired intervals. The features are read from the pipeline cut
before frame sampling (:mod:`.reader`), so the corruption and the
mitigation act on the whole sequence, as in the deep runs.
"""
from typing import Dict, List, Optional, Sequence

from ..engine.runner.skeleton_c_conditions import (RECORD_KEYS,
                                                   SkeletonCConditions,
                                                   two_person_mask)
from ..engine.runner.skeleton_c_loop import SkeletonCTestLoop
from ..engine.runner.sweep_records import SweepRecords
from ..suites import DEFAULT_VERSION
from .classic import load_model
from .sweep import classic_header, corrupted_test_dataset, run_conditions


def classic_skeleton_c(cfg,
                       model_file: str,
                       out_file: str,
                       name: str,
                       suite: str = DEFAULT_VERSION,
                       families: Optional[Sequence[str]] = None,
                       mitigation: str = 'none',
                       seed: int = 0,
                       overwrite: bool = False) -> List[Dict]:
    """Evaluate a saved classic model on every condition of a suite.

    Args:
        cfg (Config): The config whose ``test_dataloader`` gives the data.
        model_file (str): The joblib file of :func:`.classic.save_model`.
        out_file (str): The result file (``results_<name>.jsonl``).
        name (str): The model's name in the results.
        suite (str): Suite version. Defaults to 'skeleton_c_v1'.
        families (Sequence[str], optional): Families to run; None: all.
            Defaults to None.
        mitigation (str): 'none', 'interpolate' or 'median'.
            Defaults to 'none'.
        seed (int): Corruption seed. Defaults to 0.
        overwrite (bool): Replace ``out_file`` instead of resuming.
            Defaults to False.

    Returns:
        list[dict]: The records, in condition order.
    """
    spec = SkeletonCConditions(suite, families, mitigation, seed)
    bundle = load_model(model_file)
    dataset, noise = corrupted_test_dataset(cfg, spec.prepare)
    header = classic_header(name, model_file, bundle, cfg, dataset,
                            SkeletonCTestLoop.code_files, spec.settings())
    records = SweepRecords(out_file, header, keys=RECORD_KEYS,
                           overwrite=overwrite)
    keep = two_person_mask(dataset)

    def finish(condition: Dict, metrics: Dict, outcomes: Dict) -> None:
        spec.count_out_one_person(condition, metrics, outcomes, keep)

    return run_conditions(bundle, dataset, records, spec.conditions(),
                          lambda c: spec.set(noise, c), spec.equivalent,
                          spec.describe, name, finish)
