"""Seed 003's student-teacher pretraining: the EMA teacher, the masked L2,
the bad settings and a few steps of training."""
import pytest
import torch
from pretraining_tiny import build, clips, tiny_backbone

from mmhar_robust.models.pretraining import masked_mse


def test_teacher_gets_no_gradient_and_the_student_does():
    model = build()
    losses = model(clips(), None, mode='loss')
    assert set(losses) == {'loss_feature', 'loss_rec'}
    sum(losses.values()).backward()
    for name, param in model.teacher.named_parameters():
        assert not param.requires_grad and param.grad is None, name
    for name, param in model.backbone.named_parameters():
        assert param.grad is not None and param.grad.abs().sum() > 0, name


def test_teacher_follows_the_ema_formula():
    """a = 0.9: teacher <- 0.9 teacher + 0.1 student, by hand on one weight;
    the update runs at the start of the next training loss call."""
    model = build(teacher_momentum=0.9)
    student = model.backbone.joint_embed.bias
    teacher = model.teacher.module.joint_embed.bias
    assert torch.equal(student, teacher)  # a copy at the start
    with torch.no_grad():
        teacher.copy_(torch.arange(16.0))
        student.fill_(2.0)
    model.train()
    model(clips(), None, mode='loss')
    expected = torch.tensor([0.9 * i + 0.1 * 2.0 for i in range(16)])
    torch.testing.assert_close(teacher, expected)
    # Another update without a change of the student: 0.9 t + 0.2.
    model.update_teacher()
    torch.testing.assert_close(teacher, 0.9 * expected + 0.2)
    # Evaluation does not move the teacher.
    model.eval()
    model(clips(), None, mode='loss')
    torch.testing.assert_close(teacher, 0.9 * expected + 0.2)


@pytest.mark.parametrize('momentum', [0.0, 1.0])
def test_momentum_endpoints(momentum):
    """a = 1 keeps the teacher, a = 0 copies the student."""
    model = build(teacher_momentum=momentum)
    with torch.no_grad():
        model.teacher.module.joint_pos.fill_(1.0)
        model.backbone.joint_pos.fill_(3.0)
    model.update_teacher()
    assert torch.all(model.teacher.module.joint_pos == 3.0 - 2.0 * momentum)


def test_init_weights_copies_the_student_into_the_teacher():
    model = build()
    with torch.no_grad():
        model.backbone.time_pos.add_(1.0)
    model.init_weights()
    assert torch.equal(model.backbone.time_pos,
                       model.teacher.module.time_pos)


def test_only_masked_positions_enter_the_feature_loss():
    model = build(decoder=None)
    x = model.sequences(clips())
    patches = model.backbone.patchify(x)
    mask = torch.zeros(patches.shape[:3], dtype=torch.bool)
    mask[:, 1, 2] = True
    mask[:, 3, :] = True
    target = model.teacher_features(patches)
    base = model.compute_losses(patches, mask)['loss_feature']
    for where, changes in ((~mask, False), (mask, True)):
        shifted = target + 5.0 * where[..., None]
        model.teacher_features = lambda p, t=shifted: t
        loss = model.compute_losses(patches, mask)['loss_feature']
        assert (not torch.isclose(loss, base)) == changes
    # The value: the mean squared error over the masked tokens only.
    del model.teacher_features
    pred = model.predictor(
        model.backbone.encode(patches.masked_fill(mask[..., None], 0.0),
                              ignore=mask), mask)
    error = (pred - target).pow(2).mean(-1)
    torch.testing.assert_close(base, error[mask].sum() / mask.sum())


def test_masked_mse_by_hand():
    pred = torch.zeros(1, 2, 2, 2)
    target = torch.tensor([[[[1.0, 1.0], [2.0, 0.0]], [[0.0, 0.0],
                                                      [3.0, 3.0]]]])
    mask = torch.tensor([[[True, False], [False, True]]])
    assert masked_mse(pred, target, mask) == pytest.approx((1 + 9) / 2)
    assert masked_mse(pred, target) == pytest.approx((1 + 2 + 0 + 9) / 4)
    assert masked_mse(pred, target, torch.zeros_like(mask)) == 0


def test_student_does_not_see_masked_tokens():
    """'token' mode: changing the input at masked tokens changes nothing."""
    model = build(decoder=None)
    patches = model.backbone.patchify(model.sequences(clips()))
    mask = model.draw_mask(patches, 0)
    assert mask.any() and not mask.all()
    noisy = patches + 3.0 * mask[..., None]
    model.eval()
    a = model.compute_losses(patches, mask)['loss_feature']
    model.teacher_features = lambda p, t=model.teacher_features(patches): t
    b = model.compute_losses(noisy, mask)['loss_feature']
    torch.testing.assert_close(a, b)


def test_labels_are_not_used_and_empty_persons_are_dropped():
    from mmaction.structures import ActionDataSample
    model = build()
    model.eval()
    x = clips()
    x[:, :, 1] = 0.0  # every second person is FormatGCNInput's padding
    assert model.sequences(x).shape == (2, 8, 5, 3)
    samples = [ActionDataSample().set_gt_label(i) for i in range(2)]
    with_labels = model(x, samples, mode='loss')
    without = model(x, None, mode='loss')
    for key in with_labels:
        assert torch.equal(with_labels[key], without[key])


def test_masks_follow_the_step_counter_and_seed():
    model = build()
    patches = model.backbone.patchify(model.sequences(clips()))
    assert torch.equal(model.draw_mask(patches, 3),
                       model.draw_mask(patches, 3))
    assert not torch.equal(model.draw_mask(patches, 3),
                           model.draw_mask(patches, 4))
    other = build(seed=1)
    assert not torch.equal(model.draw_mask(patches, 3),
                           other.draw_mask(patches, 3))
    model.train()
    model(clips(), None, mode='loss')
    model(clips(), None, mode='loss')
    assert int(model.mask_step) == 2
    assert 'mask_step' in model.state_dict()


def test_mamp_target_is_the_motion_of_masked_tokens():
    model = build(predictor=None, masking='motion', mask_ratio=0.5,
                  reconstruct='motion', reconstruct_on='masked')
    assert model.teacher is None
    patches = model.backbone.patchify(model.sequences(clips()))
    mask = model.draw_mask(patches, 0)
    assert int(mask.sum()) == 4 * round(0.5 * 4 * 5)
    losses = model.compute_losses(patches, mask)
    assert set(losses) == {'loss_rec'}
    from mmhar_robust.models.pretraining import token_motion
    rec = model.decoder(
        model.backbone.encode(patches.masked_fill(mask[..., None], 0.0),
                              ignore=mask), mask)
    target = token_motion(patches, 3)
    error = (rec - target).pow(2).mean(-1)
    torch.testing.assert_close(losses['loss_rec'], error[mask].mean())


@pytest.mark.parametrize('field, value', [
    ('frame_mask_ratio', 1.0), ('joint_mask_ratio', -0.1),
    ('mask_ratio', 1.5), ('teacher_momentum', 1.01),
    ('teacher_momentum', -0.5), ('mask_mode', 'drop'),
    ('reconstruct', 'velocity')
])
def test_bad_settings_name_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        build(**{field: value})


def test_bad_input_names_the_shape():
    model = build()
    with pytest.raises(ValueError, match='clip_len=8'):
        model(torch.randn(1, 1, 1, 12, 5, 3), None, mode='loss')
    with pytest.raises(ValueError, match='no mode'):
        model(clips(), None, mode='predict')


@pytest.mark.parametrize('mode, mask_mode', [('spatial', 'token'),
                                             ('temporal', 'zero')])
def test_a_few_steps_reduce_the_loss(mode, mask_mode):
    model = build(backbone=tiny_backbone(mode=mode), mask_mode=mask_mode)
    model.train()
    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=3e-3)
    x = clips(4)
    history = []
    for _ in range(12):
        loss = sum(model(x, None, mode='loss').values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(float(loss))
    assert sum(history[-3:]) / 3 < 0.8 * sum(history[:3]) / 3, history
