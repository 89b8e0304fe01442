"""Task presets: the fall-run-walk imbalance in skeleton and video sets, and
the VideoDataset lists written for it."""
from collections import Counter

import pytest

from mmhar_robust.synthetic import (TASKS, SyntheticSkeletonConfig,
                                    SyntheticSkeletonGenerator, SyntheticTask,
                                    get_task, write_video_lists)
from mmhar_robust.synthetic.video import (SyntheticVideoConfig,
                                          SyntheticVideoGenerator)


def test_fall_run_walk_preset_is_seed_002s_imbalance():
    task = get_task('fall-run-walk')
    assert task.classes == ('fall', 'run', 'walk')
    assert task.class_repeats(2) == (2, 8, 10)
    assert task.proportions() == pytest.approx((0.1, 0.4, 0.5))


def test_skeleton_set_follows_the_imbalance_in_every_split():
    task = get_task('fall-run-walk')
    gen = SyntheticSkeletonGenerator(
        SyntheticSkeletonConfig(
            num_subjects=5,
            repeats=1,
            classes=task.classes,
            class_repeats=task.class_repeats(1),
            train_fraction=0.6,
            frames_range=(20, 30)))
    data = gen.generate()
    by_name = {a['frame_dir']: a['label'] for a in data['annotations']}
    assert Counter(by_name.values()) == {0: 5, 1: 20, 2: 25}  # 10/40/50 %
    for split, subjects in (('xsub_train', 3), ('xsub_val', 2)):
        counts = Counter(by_name[n] for n in data['split'][split])
        assert counts == {0: subjects, 1: 4 * subjects, 2: 5 * subjects}
    # Repetitions are numbered per class: falls R001 only, walks up to R005.
    assert sorted({n[-4:]
                   for n, label in by_name.items() if label == 0}) == ['R001']
    assert max(n[-4:] for n, label in by_name.items() if label == 2) == 'R005'
    assert gen.describe()['class_repeats'] == [1, 4, 5]


def test_video_set_follows_the_imbalance_and_writes_lists(tmp_path):
    task = get_task('fall-run-walk')
    gen = SyntheticVideoGenerator(
        SyntheticVideoConfig(
            variant='unbiased',
            num_subjects=2,
            repeats=1,
            size=16,
            frames=4,
            classes=task.classes,
            class_repeats=task.class_repeats(1),
            train_fraction=0.5,
            plates=False))
    root = str(tmp_path / 'unbiased')
    data = gen.dump(root)
    assert Counter(a['label'] for a in data['annotations']) == {
        0: 2,
        1: 8,
        2: 10
    }
    written = write_video_lists(root, data)
    with open(written['xsub_val']) as f:
        lines = f.read().splitlines()
    # Subject 2's clips in label order: 1 fall, 4 runs, 5 walks.
    assert lines[0] == 'videos/S000P002A015R001.mp4 0'
    assert [line.split()[1] for line in lines] == ['0'] + ['1'] * 4 + ['2'] * 5
    assert written['xsub_train'].endswith('train_list.txt')
    assert gen.describe()['class_repeats'] == [1, 4, 5]


def test_bad_presets_and_repeats_are_refused():
    with pytest.raises(KeyError, match="unknown task 'fall'"):
        get_task('fall')
    with pytest.raises(ValueError, match='do not match'):
        SyntheticTask('x', ('fall', 'run'), (1, ), 'one weight short')
    with pytest.raises(ValueError, match='unknown'):
        SyntheticTask('x', ('fall', 'sit'), (1, 1), 'no sit class')
    with pytest.raises(ValueError, match='class_repeats'):
        SyntheticSkeletonConfig(classes=('fall', 'run'), class_repeats=(1, ))
    with pytest.raises(ValueError, match='class_repeats'):
        SyntheticSkeletonConfig(classes=('fall', 'run'), class_repeats=(1, 0))
    with pytest.raises(ValueError, match="unknown classes \\['sit'\\]"):
        SyntheticSkeletonConfig(classes=('fall', 'sit'))
    assert sorted(TASKS) == ['fall-run-walk']
