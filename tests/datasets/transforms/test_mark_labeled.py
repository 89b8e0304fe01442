import hashlib

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


def _by_hand(seed, identity, fraction):
    """The choice as MarkLabeled made it before the shared identity module:
    an 8-byte BLAKE2b of ``repr((seed, identity))`` as a unit number."""
    digest = hashlib.blake2b(
        repr((seed, identity)).encode('utf-8'), digest_size=8).digest()
    return int.from_bytes(digest, 'little') / 2**64 < fraction


def test_the_same_samples_are_chosen_as_before_for_every_identity_field():
    t = MarkLabeled(fraction=0.3, seed=7)
    names = [f'S001C001P00{i}R001A0{i:02d}' for i in range(200)]
    chosen = [t(dict(frame_dir=n))['labeled'] for n in names]
    assert chosen == [_by_hand(7, n, 0.3) for n in names]
    assert 30 < sum(chosen) < 90
    # frame_dir wins over filename; a video sample is keyed by its filename;
    # a sample known only by its index by the index's text.
    both = dict(frame_dir=names[0], filename='other.mp4', sample_idx=3)
    assert t(both)['labeled'] == chosen[0]
    videos = [f'v{i}.mp4' for i in range(50)]
    assert [t(dict(filename=v, sample_idx=0))['labeled'] for v in videos] \
        == [_by_hand(7, v, 0.3) for v in videos]
    assert [t(dict(sample_idx=i))['labeled'] for i in range(50)] \
        == [_by_hand(7, str(i), 0.3) for i in range(50)]
