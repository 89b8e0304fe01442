"""The pretrained encoder arrives in a RecognizerGCN, through ``load_from``
(MMEngine's ``load_checkpoint``) or ``init_cfg``; a checkpoint of another
encoder is refused naming the key."""
import pytest
import torch
from mmengine.runner import load_checkpoint
from pretraining_tiny import build, tiny_backbone


def recognizer(backbone):
    from mmaction.registry import MODELS
    return MODELS.build(
        dict(type='RecognizerGCN', backbone=backbone,
             cls_head=dict(type='GCNHead', num_classes=4, in_channels=16)))


@pytest.fixture
def pretrained(tmp_path):
    """A pretraining checkpoint whose student is not at its init."""
    model = build()
    with torch.no_grad():
        for param in model.backbone.parameters():
            param.add_(torch.randn_like(param))
    path = str(tmp_path / 'pretrain.pth')
    torch.save(dict(state_dict=model.state_dict(), meta=dict()), path)
    return model, path


def assert_arrived(student, model):
    own = model.backbone.state_dict()
    for key, value in student.backbone.state_dict().items():
        assert torch.equal(own[key], value), key


def test_load_from_brings_the_student_encoder(pretrained):
    student, path = pretrained
    model = recognizer(tiny_backbone())
    load_checkpoint(model, path, map_location='cpu', strict=False)
    assert_arrived(student, model)
    out = model(torch.randn(2, 1, 2, 8, 5, 3), mode='tensor')
    assert out.shape == (2, 2, 16, 4, 5)  # what GCNHead pools


def test_init_cfg_pretrained_with_prefix(pretrained):
    student, path = pretrained
    model = recognizer(
        tiny_backbone(init_cfg=dict(type='Pretrained', checkpoint=path,
                                    prefix='backbone.'), frozen=True))
    model.init_weights()
    assert_arrived(student, model)
    # linear probing: only the head trains
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trainable == {'cls_head.fc.weight', 'cls_head.fc.bias'}


def test_another_encoder_shape_is_refused_naming_the_key(pretrained):
    _, path = pretrained
    model = recognizer(tiny_backbone(embed_dims=32, num_heads=2))
    with pytest.raises(ValueError,
                       match=r"'backbone.joint_pos' has shape \(1, 1, 5, 16"):
        load_checkpoint(model, path, map_location='cpu', strict=False)
    model = recognizer(tiny_backbone(patch_size=4))
    with pytest.raises(ValueError, match="'backbone.time_pos'"):
        load_checkpoint(model, path, map_location='cpu', strict=False)


def test_a_checkpoint_without_the_encoder_is_refused(tmp_path):
    path = str(tmp_path / 'other.pth')
    torch.save(dict(state_dict={'encoder.joint_pos': torch.zeros(1)}), path)
    model = recognizer(tiny_backbone())
    with pytest.raises(KeyError, match="lacks 'backbone.joint_pos'"):
        load_checkpoint(model, path, map_location='cpu', strict=False)
