"""Load and validate a versioned corruption suite (Skeleton-C)."""
import importlib
import os.path as osp
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

from ..datasets.transforms.corruptions import check_level, get_corruption

KNOWN_VERSIONS = ('skeleton_c_v1', )
DEFAULT_VERSION = 'skeleton_c_v1'
_SCALES = ('motion', 'video', 'body', 'seed001')
_DIMS = ('2d', '3d')


class SuiteCorruption(NamedTuple):
    """One corruption of a suite: its family, registry name, the level of
    each severity (1..N), noise scale, data it applies to, whether it needs
    two persons, and why it is there."""
    family: str
    name: str
    levels: Tuple[float, ...]
    scale: Optional[str]
    dims: Tuple[str, ...]
    two_person: bool
    rationale: str


class Suite:
    """A validated corruption suite (see :func:`load_suite`).

    Args:
        version (str): The suite's name, e.g. ``'skeleton_c_v1'``.
        corruptions (list[SuiteCorruption]): In family order.
        source (str): The file it was read from (its digest goes into the
            sweep's header).
    """

    def __init__(self, version: str, corruptions: List[SuiteCorruption],
                 source: str) -> None:
        self.version = version
        self.source = source
        self._by_name = {c.name: c for c in corruptions}
        self.families: Dict[str, List[str]] = {}
        for c in corruptions:
            self.families.setdefault(c.family, []).append(c.name)

    @property
    def corruptions(self) -> List[SuiteCorruption]:
        return list(self._by_name.values())

    def corruption(self, name: str) -> SuiteCorruption:
        if name not in self._by_name:
            raise KeyError(f'{self.version} has no corruption {name!r}; it '
                           f'has {sorted(self._by_name)}')
        return self._by_name[name]

    def level(self, name: str, severity: int) -> float:
        """The level of ``name`` at ``severity`` (0: clean, level 0)."""
        levels = self.corruption(name).levels
        if not 0 <= severity <= len(levels) or severity != int(severity):
            raise ValueError(f'{self.version}: severity must be a whole '
                             f'number in 0..{len(levels)}, got {severity}')
        return 0.0 if severity == 0 else float(levels[int(severity) - 1])

    def select(self, families: Optional[Sequence[str]] = None,
               dims: Optional[str] = None) -> List[SuiteCorruption]:
        """The corruptions of ``families`` (all if None) that apply to
        ``dims`` ('2d' or '3d'; all if None)."""
        families = list(self.families) if not families else list(families)
        unknown = sorted(set(families) - set(self.families))
        if unknown:
            raise ValueError(f'{self.version} has no family {unknown}; it '
                             f'has {list(self.families)}')
        return [
            c for c in self.corruptions if c.family in families and (
                dims is None or dims in c.dims)
        ]


def _check(version: str, raw: Dict, source: str) -> List[SuiteCorruption]:
    where = f'{version} ({source})'
    if raw.get('version') != version:
        raise ValueError(f'{where}: says it is version '
                         f'{raw.get("version")!r}')
    count = raw.get('num_severities')
    out: List[SuiteCorruption] = []
    for family in raw.get('families') or []:
        for item in family.get('corruptions') or []:
            name = item.get('name')
            what = f'{where}: {family.get("name")}/{name}'
            get_corruption(name)
            levels = tuple(float(v) for v in item.get('levels', ()))
            if len(levels) != count:
                raise ValueError(f'{what}: {len(levels)} severities, the '
                                 f'suite has {count}')
            for level in levels:
                check_level(name, level)
            if any(b <= a for a, b in zip(levels, levels[1:])) or \
                    levels[0] <= 0:
                raise ValueError(f'{what}: levels must be positive and '
                                 f'increase with severity, got {levels}')
            scale = item.get('scale')
            if (get_corruption(name).kind == 'additive') != (scale
                                                            is not None):
                raise ValueError(f'{what}: an additive corruption needs a '
                                 'scale, the others take none')
            if scale is not None and scale not in _SCALES:
                raise ValueError(f'{what}: unknown scale {scale!r}')
            dims = tuple(item.get('dims', ()))
            if not dims or set(dims) - set(_DIMS):
                raise ValueError(f'{what}: dims must be a subset of {_DIMS}')
            if not item.get('rationale'):
                raise ValueError(f'{what}: no rationale')
            if any(c.name == name for c in out):
                raise ValueError(f'{what}: listed twice')
            out.append(
                SuiteCorruption(family['name'], name, levels, scale, dims,
                                bool(item.get('two_person', False)),
                                item['rationale']))
    if not out:
        raise ValueError(f'{where}: no corruptions')
    return out


def load_suite(version: str = DEFAULT_VERSION) -> Suite:
    """Read and validate a suite definition shipped with the package.

    Raises:
        ValueError: An unknown version (naming the known ones), or a
            definition that does not validate.
    """
    if version not in KNOWN_VERSIONS:
        raise ValueError(f'unknown corruption suite version {version!r}; '
                         f'known: {list(KNOWN_VERSIONS)}')
    module = importlib.import_module(f'{__package__}.{version}')
    source = osp.relpath(module.__file__,
                         osp.dirname(osp.dirname(osp.abspath(__file__))))
    return Suite(version, _check(version, module.SUITE, source), source)
