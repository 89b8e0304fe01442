"""Report the versions and compatibility workarounds in effect."""
import platform
import sys
from typing import Dict

from .version_check import distribution_version

_DISTRIBUTIONS = ('torch', 'torchvision', 'numpy', 'mmengine', 'mmcv',
                  'mmcv-lite', 'mmaction2', 'grad-cam')
# Each installs its own copy of the ``cv2`` module into the same folder: with
# two of them, whichever was installed last wins, silently.
OPENCV_DISTRIBUTIONS = ('opencv-python', 'opencv-python-headless',
                        'opencv-contrib-python',
                        'opencv-contrib-python-headless')


def opencv_distributions() -> Dict[str, str]:
    """The installed OpenCV distributions and their versions."""
    found = {name: distribution_version(name) for name in OPENCV_DISTRIBUTIONS}
    return {k: v for k, v in found.items() if v != 'not installed'}


def collect_env() -> Dict[str, str]:
    """Versions of the stack and which workarounds of ``compat`` applied."""
    from .. import compat
    env = {'python': sys.version.split()[0], 'platform': platform.platform()}
    for name in _DISTRIBUTIONS:
        env[name] = distribution_version(name)
    opencv = opencv_distributions()
    env['opencv'] = ', '.join(f'{k} {v}' for k, v in opencv.items()) or \
        'not installed'
    if len(opencv) > 1:
        env['opencv'] += (' (several distributions share one cv2 module: '
                          'keep one, see docs/install.md)')
    for fix, acted in compat.apply().items():
        env[f'workaround: {fix}'] = str(acted)
    return env


def print_environment() -> None:
    """Print :func:`collect_env` as aligned ``name: value`` lines."""
    env = collect_env()
    width = max(len(k) for k in env)
    for key, value in env.items():
        print(f'{key:<{width}} : {value}')
