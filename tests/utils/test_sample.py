"""One sample key: identity, names in messages, and their fallbacks."""
import pytest
from mmengine.structures import BaseDataElement

from mmhar_robust.utils.sample import (IDENTITY_KEYS, identity_field,
                                       sample_identity, sample_name)


def test_identity_is_the_first_field_in_order():
    assert IDENTITY_KEYS == ('frame_dir', 'filename', 'video_id',
                             'sample_idx')
    full = dict(sample_idx=4, video_id='v', filename='a.mp4', frame_dir='S1')
    assert identity_field(full) == ('frame_dir', 'S1')
    assert identity_field(dict(sample_idx=4, video_id='v')) == ('video_id',
                                                                'v')
    assert identity_field(dict(sample_idx=0, label=2)) == ('sample_idx', 0)
    assert identity_field(dict(label=2)) is None
    assert identity_field([('frame_dir', 'S1')]) is None  # not a mapping
    element = BaseDataElement(metainfo=dict(filename='b.mp4'))
    assert identity_field(element) == ('filename', 'b.mp4')
    assert sample_identity(dict(sample_idx=7)) == '7'
    with pytest.raises(KeyError, match=r'MarkLabeled needs the sample '
                       r'identity \(one of frame_dir, filename, video_id, '
                       r"sample_idx\); the sample has \['label'\]"):
        sample_identity(dict(label=1), 'MarkLabeled')


@pytest.mark.parametrize('sample, index, plain, quoted, keyed', [
    (dict(frame_dir='clip0', sample_idx=3), None, 'clip0', "'clip0'",
     "frame_dir='clip0'"),
    (dict(filename='v.mp4'), 2, 'v.mp4', "'v.mp4'", "filename='v.mp4'"),
    (dict(sample_idx=5), None, '5', '5', 'sample_idx=5'),
    (dict(label=1), 4, '#4', '#4', '#4'),
    (dict(label=1), None, '?', '?', '?'),
])
def test_sample_name_styles(sample, index, plain, quoted, keyed):
    assert sample_name(sample, index) == plain
    assert sample_name(sample, index, quote=True) == quoted
    assert sample_name(sample, index, with_key=True) == keyed
