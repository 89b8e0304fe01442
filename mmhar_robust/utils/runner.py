"""What our command-line tools share with mmaction2's: work dir and runner."""
import os.path as osp

from mmengine.config import Config
from mmengine.runner import Runner


def set_work_dir(cfg: Config, work_dir: str, config_path: str) -> None:
    """``--work-dir``, else the config's, else ``./work_dirs/<config name>``
    (mmaction2's rule)."""
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config_path))[0])


def build_runner(cfg: Config) -> Runner:
    """The config's ``runner_type`` if it names one, else MMEngine's Runner."""
    if 'runner_type' in cfg:
        from mmaction.registry import RUNNERS
        return RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)
