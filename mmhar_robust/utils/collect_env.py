"""Report the versions and compatibility workarounds in effect."""
import platform
import sys
from typing import Dict

from .version_check import distribution_version

_DISTRIBUTIONS = ('torch', 'torchvision', 'numpy', 'mmengine', 'mmcv',
                  'mmcv-lite', 'mmaction2', 'grad-cam')


def collect_env() -> Dict[str, str]:
    """Versions of the stack and which workarounds of ``compat`` applied."""
    from .. import compat
    env = {'python': sys.version.split()[0], 'platform': platform.platform()}
    for name in _DISTRIBUTIONS:
        env[name] = distribution_version(name)
    env['workaround: torchvision ops'] = str(compat.torchvision_ops_patched())
    env['workaround: mmaction2 drn'] = str(compat.drn_patched())
    return env


def print_environment() -> None:
    """Print :func:`collect_env` as aligned ``name: value`` lines."""
    env = collect_env()
    width = max(len(k) for k in env)
    for key, value in env.items():
        print(f'{key:<{width}} : {value}')
