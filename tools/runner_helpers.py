"""What our command-line tools share with mmaction2's: work dir, launcher
and runner (command-line behaviour, so it lives in tools/, not the package:
``run_sweep`` ends the program with a message on stale results)."""
import argparse
import os.path as osp
from typing import Optional

from mmengine.config import Config
from mmengine.runner import Runner

from mmhar_robust.engine.runner.sweep_records import StaleResultsError


def set_work_dir(cfg: Config, work_dir: str, config_path: str) -> None:
    """``--work-dir``, else the config's, else ``./work_dirs/<config name>``
    (mmaction2's rule)."""
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config_path))[0])


def add_launcher_arguments(parser: argparse.ArgumentParser) -> None:
    """mmaction2's ``--launcher`` and ``--local_rank`` options; the tool then
    sets ``LOCAL_RANK`` from ``--local_rank`` when the launcher did not."""
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher (pytorch: start the tool with torchrun; the '
        'processes share the test set and rank 0 writes the results)')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def build_runner(cfg: Config) -> Runner:
    """The config's ``runner_type`` if it names one, else MMEngine's Runner.

    As in mmaction2's tools; a distributed run without a GPU works through
    the ``cpu distributed`` fix that ``import mmhar_robust`` applies
    (``compat/distributed.py``), the same under mmaction2's tools.
    """
    if 'runner_type' in cfg:
        from mmaction.registry import RUNNERS
        return RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)


def run_sweep(config: str,
              checkpoint: str,
              loop: dict,
              out_dir: str,
              name: str,
              experiment: str,
              cfg_options: Optional[dict] = None,
              launcher: str = 'none') -> str:
    """Test one model with a sweep loop; what the sweep tools share.

    Args:
        config (str): The model's config file.
        checkpoint (str): Its weights.
        loop (dict): The ``test_cfg`` of the sweep loop (``type`` and
            settings, without ``out_file`` and ``model_name``).
        out_dir (str): The sweep's folder; results go to
            ``results_<name>.jsonl``, the run's logs to ``runs/<name>``.
        name (str): The model's name in the results.
        experiment (str): Prefix of the run's experiment name.
        cfg_options (dict, optional): Config overrides. Defaults to None.
        launcher (str): ``--launcher`` of the tool (``'pytorch'`` under
            ``torchrun``): the ranks split the test set, rank 0 writes the
            results. Defaults to 'none'.

    Returns:
        str: The model's result file.
    """
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    out_file = osp.join(out_dir, f'results_{name}.jsonl')
    cfg.test_cfg = dict(loop, out_file=out_file, model_name=name)
    cfg.load_from = checkpoint
    cfg.work_dir = osp.join(out_dir, 'runs', name)
    cfg.experiment_name = f'{experiment}_{name}'
    cfg.launcher = launcher
    try:
        build_runner(cfg).test()
    except StaleResultsError as error:  # a clear message, not a traceback
        raise SystemExit(f'{name}: {error}') from None
    return out_file
