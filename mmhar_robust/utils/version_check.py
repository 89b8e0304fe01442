"""Check that the installed OpenMMLab stack is one mmhar_robust supports."""
from importlib import metadata
from typing import Dict, Optional, Tuple

from mmengine.utils import digit_version

# (package to import, minimum inclusive, maximum exclusive, what to install)
SUPPORTED: Dict[str, Tuple[str, str, str]] = {
    'mmcv': ('2.0.0', '2.2.0', 'mmcv-lite>=2.0.0,<2.2.0 (or a full mmcv '
             'build in that range)'),
    'mmengine': ('0.10.0', '1.0.0', 'mmengine>=0.10.0,<1.0.0'),
    'mmaction': ('1.1.0', '1.3.0', 'mmaction2>=1.1.0,<1.3.0'),
}


def installed_version(module: str) -> Optional[str]:
    """Version of an importable module, or None if it is not importable."""
    try:
        return __import__(module).__version__
    except ImportError:
        return None


def check_versions() -> None:
    """Raise an ``ImportError`` naming what to install if a version is off.

    Raises:
        ImportError: if mmcv, mmengine or mmaction2 is missing or outside the
            supported range.
    """
    for module, (low, high, install) in SUPPORTED.items():
        version = installed_version(module)
        if version is None:
            raise ImportError(f'mmhar_robust needs {module}: pip install '
                              f'"{install}" (see requirements/mminstall.txt)')
        if not digit_version(low) <= digit_version(version) < digit_version(
                high):
            raise ImportError(
                f'{module}=={version} is installed but mmhar_robust supports '
                f'{low} <= {module} < {high}: pip install "{install}"')


def distribution_version(name: str) -> str:
    """Installed version of a distribution, or ``'not installed'``."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return 'not installed'
