"""export_bast: a BAST folder of synthetic clips that BASTDataset reads, with
consecutive segments, a subject split and imbalanced evaluation labels."""
import filecmp
import glob
import os.path as osp
import pickle
from collections import defaultdict

import numpy as np
import pytest

from mmhar_robust.datasets.bast_dataset import BASTDataset, cut_clips
from mmhar_robust.datasets.bast_format import (read_annotation_table,
                                               read_label_file, read_pose_file)
from mmhar_robust.synthetic import (CLASS_NAMES, ClipStyle,
                                    SyntheticSkeletonConfig,
                                    SyntheticSkeletonGenerator)
from mmhar_robust.synthetic.bast_export import (_StyleRecorder, export_bast,
                                                synthetic_eval_classes,
                                                synthetic_eval_labels)

CFG = SyntheticSkeletonConfig(
    num_subjects=3,
    repeats=1,
    fps=10.0,
    frames_range=(80, 160),
    train_fraction=0.67,
    image_shapes=((480, 640), ),
    two_person_prob=0.3)


@pytest.fixture(scope='module')
def exported(tmp_path_factory):
    return export_bast(str(tmp_path_factory.mktemp('bast')), CFG)


def _segments(exported):
    return {
        split: read_annotation_table(path)
        for split, path in exported['ann_files'].items()
    }


def test_folder_layout_and_label_files(exported):
    root = exported['root']
    assert exported['videos'] == {'train': 8, 'val': 4}  # 13 clips: 4+4+4+1
    assert len(glob.glob(osp.join(root, 'poses', '*.pkl'))) == 12
    assert read_label_file(osp.join(root,
                                    'labels_base.txt')) == list(CLASS_NAMES)
    evals = read_label_file(osp.join(root, 'labels_eval.txt'))
    assert evals == synthetic_eval_classes(CLASS_NAMES)
    # Tempo labels for all 13 classes, size labels for the 7 whole-body ones.
    assert len(evals) == 2 * 13 + 2 * 7
    assert exported['segments'] == {'train': 26, 'val': 13}


def test_segments_are_consecutive_and_fill_their_video(exported):
    for split, segments in _segments(exported).items():
        by_video = defaultdict(list)
        for seg in segments:
            by_video[seg.video].append(seg)
        for video, segs in by_video.items():
            assert 0 < len(segs) <= 4
            assert segs[0].start == 0.0
            for before, after in zip(segs, segs[1:]):
                assert after.start == before.end
            pose = read_pose_file(
                osp.join(exported['pose_dir'], video + '.pkl'))
            assert pose['fps'] == 10.0 and pose['img_shape'] == (480, 640)
            assert round(segs[-1].end * 10) == pose['total_frames']


def test_split_by_subject_and_each_class_once_per_subject(exported):
    gen = SyntheticSkeletonGenerator(CFG)
    by_subject = defaultdict(list)
    for split, segments in _segments(exported).items():
        for seg in segments:
            subject = int(seg.video[5:8])  # S000P001V01
            assert gen.is_train_subject(subject) == (split == 'train')
            by_subject[subject].append(seg.base_label)
    assert sorted(by_subject) == [1, 2, 3]
    for labels in by_subject.values():
        assert sorted(labels) == sorted(CLASS_NAMES)


def test_segment_poses_and_eval_labels_are_the_generator_clips(exported):
    recorder = _StyleRecorder(CFG)
    two_people = 0
    for seg in _segments(exported)['val']:
        label = CLASS_NAMES.index(seg.base_label)
        clip, style = recorder.clip_and_style(3, label, 0)
        pose = read_pose_file(
            osp.join(exported['pose_dir'], seg.video + '.pkl'))
        first, last = round(seg.start * 10), round(seg.end * 10)
        people = clip['keypoint'].shape[0]
        two_people += people == 2
        np.testing.assert_array_equal(pose['keypoint'][:people, first:last],
                                      clip['keypoint'])
        np.testing.assert_array_equal(
            pose['keypoint_score'][:people, first:last],
            clip['keypoint_score'])
        assert not pose['keypoint'][people:, first:last].any()
        assert seg.eval_labels == synthetic_eval_labels(
            seg.base_label, style, CFG)
    assert two_people > 0  # the padding of absent people was exercised


def test_eval_label_rule():
    slow, mid, fast = (ClipStyle(speed=s) for s in (0.8, 1.1, 1.2))
    assert synthetic_eval_labels('wave', slow, CFG) == ('wave-tempo-slow', )
    assert synthetic_eval_labels('wave', mid, CFG) == ()
    assert synthetic_eval_labels('wave', fast, CFG) == ('wave-tempo-fast', )
    assert synthetic_eval_labels('wave', ClipStyle(1.1, 0.85), CFG) == ()
    assert synthetic_eval_labels('jump', ClipStyle(1.1, 0.86),
                                 CFG) == ('jump-size-narrow', )
    assert synthetic_eval_labels('jump', ClipStyle(1.1, 0.95), CFG) == ()
    assert synthetic_eval_labels('jump', ClipStyle(0.9, 1.1),
                                 CFG) == ('jump-tempo-slow', 'jump-size-wide')


def test_eval_labels_are_imbalanced_and_some_rows_multi_label(exported):
    counts = exported['eval_counts']
    total = {
        kind: sum(n for name, n in counts.items() if name.endswith(kind))
        for kind in ('slow', 'fast', 'narrow', 'wide')
    }
    assert total['slow'] > 2 * total['fast'] > 0
    assert total['wide'] > total['narrow'] > 0
    per_row = [
        len(s.eval_labels) for seg in _segments(exported).values() for s in seg
    ]
    assert 0 in per_row and 2 in per_row


def test_dataset_reads_the_export_with_the_clip_rule(exported):
    segments = _segments(exported)['train']
    expected = sum(
        len(cut_clips(round(s.start * 10), round(s.end * 10), 100, 50, 20))
        for s in segments)
    base = BASTDataset(exported['ann_files']['train'], [])
    assert len(base) == expected > len(segments)
    assert list(base.get_labels()) == [
        CLASS_NAMES.index(name) for name in _base_labels_per_clip(segments)
    ]
    ev = BASTDataset(exported['ann_files']['train'], [], task='eval')
    assert len(ev) == sum(
        len(s.eval_labels) *
        len(cut_clips(round(s.start * 10), round(s.end * 10), 100, 50, 20))
        for s in segments)


def _base_labels_per_clip(segments):
    for s in segments:
        clips = cut_clips(round(s.start * 10), round(s.end * 10), 100, 50, 20)
        yield from [s.base_label] * len(clips)


def test_export_is_deterministic(exported, tmp_path):
    again = export_bast(str(tmp_path), CFG)
    for path in glob.glob(
            osp.join(exported['root'], '**', '*.*'), recursive=True):
        twin = osp.join(again['root'], osp.relpath(path, exported['root']))
        if path.endswith('.pkl'):
            with open(path, 'rb') as a, open(twin, 'rb') as b:
                first, second = pickle.load(a), pickle.load(b)
            np.testing.assert_array_equal(first['keypoint'],
                                          second['keypoint'])
        else:
            assert filecmp.cmp(path, twin, shallow=False), path


def test_bad_settings():
    import dataclasses
    with pytest.raises(ValueError, match='coco'):
        export_bast('unused', dataclasses.replace(CFG, layout='nturgb+d'))
    with pytest.raises(ValueError, match='segments_per_video'):
        export_bast('unused', CFG, segments_per_video=0)
