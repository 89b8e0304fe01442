"""tools/realtime.py on a tiny synthetic video and the tiny 3D ResNeXt:
windows, labels (checked against a prediction on decord-decoded frames),
latency report, GIF, and named errors."""
import csv
import json
import os
import os.path as osp
import sys

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

import mmhar_robust  # noqa: F401
from mmhar_robust.registry import MODELS
from mmhar_robust.utils.realtime import stream_pipeline

from conftest import ROOT

sys.path.insert(0, osp.join(ROOT, 'tools'))
import realtime  # noqa: E402

CONFIG = osp.join(ROOT, 'configs', 'recognition', 'resnext3d',
                  'tiny-resnext3d_1xb8-u16-20e_synthetic-video-unbiased-'
                  'rgb.py')


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    init_default_scope('mmaction')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(CONFIG).model)
    path = str(tmp_path_factory.mktemp('ckpt') / 'tiny.pth')
    torch.save({'state_dict': model.state_dict()}, path)
    return path


def video_of(tiny_video):
    folder = osp.join(tiny_video, 'videos')
    return osp.join(folder, sorted(os.listdir(folder))[0])


def test_stream_predicts_every_stride_frames(tiny_video, checkpoint,
                                             tmp_path):
    video = video_of(tiny_video)  # 16 frames of 64 x 64
    out = tmp_path / 'rt'
    assert realtime.main([
        CONFIG, checkpoint, video, '--window', '8', '--stride', '4',
        '--out-dir', str(out), '--gif', str(tmp_path / 'o.gif')
    ]) == 0
    with open(out / 'predictions.csv') as f:
        rows = list(csv.DictReader(f))
    assert [int(r['end_frame']) for r in rows] == [7, 11, 15]
    report = json.loads((out / 'latency.json').read_text())
    assert report['frames'] == 16 and report['predictions'] == 3
    assert report['video_fps'] == pytest.approx(30)
    total = report['latency']['total']
    assert 0 < total['median_ms'] <= total['p95_ms']
    assert report['sustained_fps'] > 0
    # The last window, decoded by decord instead of OpenCV, predicted
    # directly through the model: the same label and score.
    from decord import VideoReader
    frames = VideoReader(video).get_batch(list(range(8, 16))).asnumpy()
    cfg = Config.fromfile(CONFIG)
    init_default_scope('mmaction')
    model = MODELS.build(cfg.model)
    model.load_state_dict(torch.load(checkpoint)['state_dict'])
    model.eval()
    pipeline, clip_len = stream_pipeline(cfg.test_dataloader.dataset.pipeline)
    assert clip_len == 16
    data = pipeline(dict(imgs=list(frames), img_shape=(64, 64),
                         original_shape=(64, 64), modality='RGB',
                         num_clips=1, clip_len=8))
    with torch.no_grad():
        score = model.test_step(pseudo_collate([data]))[0].pred_score
    assert int(rows[-1]['label']) == int(score.argmax())
    assert float(rows[-1]['score']) == pytest.approx(float(score.max()),
                                                     abs=1e-3)
    from PIL import Image
    assert Image.open(tmp_path / 'o.gif').n_frames == 12


def test_a_window_longer_than_the_clip_is_named(tiny_video, checkpoint,
                                                 tmp_path):
    with pytest.raises(ValueError, match='--window 17 .* clip length 16'):
        realtime.main([CONFIG, checkpoint, video_of(tiny_video), '--window',
                       '17', '--out-dir', str(tmp_path)])


def test_a_short_or_broken_video_is_named(checkpoint, tmp_path):
    short = str(tmp_path / 'short.avi')
    writer = cv2.VideoWriter(short, cv2.VideoWriter_fourcc(*'MJPG'), 30,
                             (32, 32))
    for _ in range(5):
        writer.write(np.zeros((32, 32, 3), np.uint8))
    writer.release()
    with pytest.raises(ValueError, match='short.avi.* ends after 5 frames'):
        realtime.main([CONFIG, checkpoint, short, '--out-dir',
                       str(tmp_path)])
    broken = tmp_path / 'broken.mp4'
    broken.write_text('not a video')
    with pytest.raises(ValueError, match='broken.mp4'):
        realtime.main([CONFIG, checkpoint, str(broken), '--out-dir',
                       str(tmp_path)])
