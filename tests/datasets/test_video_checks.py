"""Missing and damaged videos are named with their sample."""
import os
import os.path as osp
import pickle

import numpy as np
import pytest
import torch
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope

from mmhar_robust.datasets import CheckedPoseDataset, VideoDecodeError
from mmhar_robust.datasets.video_checks import apply_pipeline
from mmhar_robust.synthetic.video.writer import write_video


def _pipeline(reader='Decord'):
    return [
        dict(type=f'{reader}Init'),
        dict(
            type='SampleFrames',
            clip_len=4,
            frame_interval=1,
            num_clips=1,
            test_mode=True),
        dict(type=f'{reader}Decode'),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs')
    ]


@pytest.fixture
def videos(tmp_path):
    """Three 8-frame videos and their annotations (pose format, as the RGB
    configs use): ``(root, ann_file)``."""
    init_default_scope('mmaction')
    root = str(tmp_path)
    rng = np.random.default_rng(0)
    os.makedirs(osp.join(root, 'videos'))
    annotations = []
    for i in range(3):
        write_video(
            osp.join(root, 'videos', f'clip{i}.mp4'),
            rng.integers(0, 255, (8, 32, 32, 3), dtype=np.uint8))
        annotations.append(
            dict(
                frame_dir=f'clip{i}',
                filename=f'videos/clip{i}.mp4',
                label=i,
                total_frames=8,
                img_shape=(32, 32),
                keypoint=np.zeros((1, 8, 17, 2), np.float32)))
    ann_file = osp.join(root, 'ann.pkl')
    with open(ann_file, 'wb') as f:
        pickle.dump(
            dict(
                split=dict(test=[a['filename'] for a in annotations]),
                annotations=annotations), f)
    return root, ann_file


def _dataset(root, ann_file, pipeline):
    return CheckedPoseDataset(
        ann_file,
        pipeline,
        split='test',
        data_prefix=dict(video=root),
        test_mode=True)


def _damage(path, how):
    if how == 'garbage':
        with open(path, 'wb') as f:
            f.write(b'not a video ' * 5)
    else:  # truncated: mp4v writes its index (moov atom) last
        with open(path, 'rb') as f:
            raw = f.read()
        with open(path, 'wb') as f:
            f.write(raw[:len(raw) // 2])


def test_readable_videos_decode_as_with_compose(videos):
    root, ann_file = videos
    ds = _dataset(root, ann_file, _pipeline())
    ours = ds[2]['inputs']
    info = ds.get_data_info(2)
    theirs = Compose(_pipeline())(info)['inputs']
    torch.testing.assert_close(ours, theirs, rtol=0, atol=0)
    assert tuple(ours.shape) == (1, 3, 4, 32, 32)


def test_missing_video_is_refused_when_the_dataset_loads(videos):
    root, ann_file = videos
    os.remove(osp.join(root, 'videos', 'clip1.mp4'))
    os.remove(osp.join(root, 'videos', 'clip2.mp4'))
    with pytest.raises(FileNotFoundError) as info:
        _dataset(root, ann_file, _pipeline())
    message = str(info.value)
    assert message.startswith(f"{ann_file}, sample '{root}/clip1', field "
                              "'filename': video file not found: "
                              f'{root}/videos/clip1.mp4')
    assert '(2 of 3 samples lack their video)' in message


def test_pose_pipeline_does_not_need_the_videos(videos):
    root, ann_file = videos
    os.remove(osp.join(root, 'videos', 'clip1.mp4'))
    assert len(_dataset(root, ann_file, [])) == 3


@pytest.mark.parametrize('reader,how,said', [
    ('Decord', 'garbage', 'DecordInit raised RuntimeError: Error reading '
     '60 bytes. The file is damaged'),
    ('Decord', 'truncated', 'DecordInit raised RuntimeError: Error reading'),
    ('OpenCV', 'garbage', 'no frame could be read from the video'),
    ('OpenCV', 'truncated', '(OpenCVInit found 0 frames)'),
])
def test_damaged_video_names_file_and_sample(videos, reader, how, said):
    root, ann_file = videos
    path = osp.join(root, 'videos', 'clip1.mp4')
    ds = _dataset(root, ann_file, _pipeline(reader))
    _damage(path, how)
    ds[0]
    with pytest.raises(VideoDecodeError) as info:
        ds[1]
    err = info.value
    assert (err.source, err.sample, err.path,
            err.field) == (ann_file, f"'{root}/clip1'", path, 'filename')
    assert str(err).startswith(f"{ann_file}, sample '{root}/clip1', field "
                               f"'filename': ")
    assert said in str(err) and path in str(err)


def test_video_removed_after_loading_names_the_sample(videos):
    root, ann_file = videos
    ds = _dataset(root, ann_file, _pipeline())
    os.remove(osp.join(root, 'videos', 'clip0.mp4'))
    with pytest.raises(
            FileNotFoundError,
            match=f"sample '{root}/clip0'.*not found: "
            f'{root}/videos/clip0.mp4'):
        ds[0]


def test_a_dataloader_worker_names_the_video(videos):
    root, ann_file = videos
    ds = _dataset(root, ann_file, _pipeline())
    _damage(osp.join(root, 'videos', 'clip2.mp4'), 'garbage')
    loader = torch.utils.data.DataLoader(
        ds, batch_size=1, num_workers=1, collate_fn=lambda batch: batch)
    with pytest.raises(Exception) as info:
        list(loader)
    assert 'VideoDecodeError' in str(info.value)
    assert f"{ann_file}, sample '{root}/clip2'" in str(info.value)


class _Fails:

    def __call__(self, results):
        raise KeyError('not a video problem')


class _Drops:

    def __call__(self, results):
        return None


def test_other_errors_pass_unchanged_and_none_stops_the_pipeline():
    pipeline = Compose([_Fails()])
    with pytest.raises(KeyError, match='not a video problem'):
        apply_pipeline(pipeline, dict(filename='x.mp4'), 'ann.pkl', 0)
    pipeline = Compose([_Drops(), _Fails()])
    assert apply_pipeline(pipeline, dict(filename='x.mp4'), 'ann.pkl',
                          0) is None
