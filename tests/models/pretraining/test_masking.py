"""Seed 003's random masking and MAMP's motion-aware masking."""
import pytest
import torch

from mmhar_robust.models.pretraining import (motion_aware_mask, random_mask,
                                             token_motion)
from mmhar_robust.models.pretraining.masking import check_ratio


def gen(seed=0):
    return torch.Generator().manual_seed(seed)


def test_random_mask_masks_whole_segments_and_joints_per_segment():
    mask = random_mask(torch.Size((64, 8, 10)), 0.25, 0.3, gen())
    whole = mask.all(dim=2)
    assert (whole.sum(1) >= 2).all()  # round(0.25 * 8) whole segments
    # the other segments: exactly round(0.3 * 10) joints each
    per_segment = mask.sum(2)
    assert ((per_segment == 3) | whole).all()
    assert (whole.sum(1) == 2).float().mean() > 0.5
    torch.testing.assert_close(mask, random_mask((64, 8, 10), 0.25, 0.3,
                                                 gen()))
    assert not torch.equal(mask, random_mask((64, 8, 10), 0.25, 0.3, gen(1)))


def test_zero_ratios_mask_nothing():
    assert not random_mask((2, 4, 5), 0.0, 0.0, gen()).any()


def test_token_motion_is_the_next_frame_minus_this_one():
    frames = torch.arange(6.0).reshape(1, 6, 1, 1).expand(1, 6, 2, 3)
    frames = frames ** 2  # motion 1, 3, 5, 7, 9, then 0
    patches = frames.reshape(1, 3, 2, 2, 3).transpose(2, 3).reshape(
        1, 3, 2, 6)
    motion = token_motion(patches, 3)
    expected = torch.tensor([1.0, 3, 5, 7, 9, 0])
    back = motion.reshape(1, 3, 2, 2, 3).transpose(2, 3).reshape(1, 6, 2, 3)
    torch.testing.assert_close(back[0, :, 1, 2], expected)


def test_motion_aware_mask_prefers_moving_tokens():
    motion = torch.zeros(200, 4, 5, 3)
    motion[:, 0, 0] = 5.0  # one token moves
    mask = motion_aware_mask(motion, 0.25, tau=0.75, generator=gen())
    assert (mask.flatten(1).sum(1) == 5).all()
    # with p ~ e^(5/0.75) against 1 for each still token it is always drawn
    assert mask[:, 0, 0].all()
    # the still tokens are drawn uniformly: each about (5 - 1) / 19
    rate = mask.flatten(1)[:, 1:].float().mean()
    assert abs(float(rate) - 4 / 19) < 0.03


@pytest.mark.parametrize('value', [1.0, -0.01, 2, True, '0.5'])
def test_check_ratio_names_the_field(value):
    with pytest.raises(ValueError, match='frame_mask_ratio'):
        check_ratio(value, 'frame_mask_ratio')
