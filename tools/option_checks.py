"""Checks of command-line options that the tools share.

The tools run as scripts (``python tools/train.py``), so this folder is on
``sys.path`` and they import this module by its name::

    from option_checks import warn_unknown_cfg_options
"""
import difflib
import inspect
import logging
from typing import Iterable, List, Optional, Set, Union

from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.runner import Runner

# Top-level keys MMEngine's Runner reads other than through from_cfg's
# arguments, and those read by build_runner (runner_type) and Config
# (custom_imports).
RUNNER_EXTRA_KEYS = ('model_wrapper_cfg', 'sync_bn', 'find_unused_parameters',
                     'activation_checkpointing', 'efficient_conv_bn_eval',
                     'compile', 'runner_type', 'custom_imports')
ConfigLike = Union[str, Config]


def runner_keys() -> Set[str]:
    """The top-level config keys MMEngine's Runner reads."""
    params = set(inspect.signature(Runner.__init__).parameters)
    return (params - {'self', 'cfg'}) | set(RUNNER_EXTRA_KEYS)


def unknown_cfg_options(options: Iterable[str], cfg: Config) -> List[str]:
    """Messages for the ``--cfg-options`` keys that change nothing.

    A key whose top-level part (``tran_cfg`` in ``tran_cfg.max_epochs``) is
    neither a key of the config nor one the Runner reads is merged into the
    config and then ignored. Each message names the key and the nearest
    known one (``difflib``), if one is close.

    Args:
        options (Iterable[str]): The option keys (dotted, as given).
        cfg (Config): The config before the options are merged.

    Returns:
        list[str]: One message per unknown top-level key.
    """
    known = set(cfg.keys()) | runner_keys()
    where = cfg.filename or 'the config'
    messages, seen = [], set()
    for key in options:
        top = str(key).split('.')[0]
        if top in known or top in seen:
            continue
        seen.add(top)
        close = difflib.get_close_matches(top, sorted(known), n=1)
        hint = (f'did you mean {close[0]!r}?'
                if close else 'no known key is close to it.')
        messages.append(
            f'--cfg-options {key}: {top!r} is not a top-level key of '
            f"{where} nor one MMEngine's Runner reads, so this option "
            f'changes nothing; {hint}')
    return messages


def warn_unknown_cfg_options(options: Optional[dict],
                             *configs: ConfigLike) -> List[str]:
    """Warn about ``--cfg-options`` keys that no config knows.

    Call it before merging the options. Each config (a path or a loaded
    ``Config``) is checked on its own, since an option applies to each.

    Args:
        options (dict, optional): ``args.cfg_options``. None checks nothing.
        *configs (str | Config): The configs the options go to.

    Returns:
        list[str]: The warnings given (also logged), without repeats.
    """
    if not options:
        return []
    messages: List[str] = []
    for config in configs:
        cfg = Config.fromfile(config) if isinstance(config, str) else config
        for message in unknown_cfg_options(options, cfg):
            if message not in messages:
                messages.append(message)
                print_log(message, logger='current', level=logging.WARNING)
    return messages
