import pytest

from mmhar_robust.datasets.transforms import MarkLabeled


def test_fraction_is_kept_and_choice_is_stable():
    t = MarkLabeled(fraction=0.1, seed=3)
    flags = [t(dict(frame_dir=f'clip{i}'))['labeled'] for i in range(5000)]
    assert sum(flags) / len(flags) == pytest.approx(0.1, abs=0.015)
    again = [
        MarkLabeled(0.1, seed=3)(dict(frame_dir=f'clip{i}'))['labeled']
        for i in range(5000)
    ]
    assert flags == again
    other = [
        MarkLabeled(0.1, seed=4)(dict(frame_dir=f'clip{i}'))['labeled']
        for i in range(5000)
    ]
    assert flags != other
    assert all(
        MarkLabeled(1.0)(dict(frame_dir='x'))['labeled'] for _ in range(3))
    assert not MarkLabeled(0.0)(dict(frame_dir='x'))['labeled']


def test_repr_and_errors():
    assert repr(MarkLabeled(0.2, 1)) == 'MarkLabeled(fraction=0.2, seed=1)'
    with pytest.raises(ValueError, match='fraction'):
        MarkLabeled(1.5)
    with pytest.raises(KeyError, match='frame_dir'):
        MarkLabeled(0.5)(dict())
