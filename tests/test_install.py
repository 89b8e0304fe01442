"""What `make install` and `pip install -e .[mim]` install agree with the
pinned, known-good set, with a single OpenCV."""
import os.path as osp

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from mmhar_robust.utils.collect_env import (OPENCV_DISTRIBUTIONS,
                                            opencv_distributions)

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def _lines(name):
    with open(osp.join(ROOT, 'requirements', name), encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line and not line.startswith('-'):
                yield line


def _pins():
    pins = {}
    for line in _lines('constraints.txt'):
        req = Requirement(line)
        (spec, ) = req.specifier
        assert spec.operator == '==', f'{line} is not an exact pin'
        pins[canonicalize_name(req.name)] = spec.version
    return pins


def test_the_mim_extra_resolves_to_the_pinned_stack():
    """`.[mim]` must not ask for a package the documented install does not
    have (full mmcv would compile for an hour next to mmcv-lite)."""
    pins = _pins()
    for line in _lines('mminstall.txt'):
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name in pins, f'{req.name} is not in constraints.txt'
        assert req.specifier.contains(pins[name]), (line, pins[name])


def test_one_opencv_distribution_pinned_and_installed():
    pins = _pins()
    pinned = [n for n in OPENCV_DISTRIBUTIONS if n in pins]
    assert pinned == ['opencv-python']
    assert list(opencv_distributions()) == ['opencv-python']
