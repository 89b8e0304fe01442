"""Read, check and write the BAST on-disk format (see docs/bast.md).

A BAST folder holds one pose pickle per video (the dict mmaction2's pose
extraction writes, plus ``fps``), annotation tables of timed segments and two
label files. The writers check what they write with the same checks the
readers apply, so a folder written here always loads.
"""
import csv
import io
import numbers
import os
import os.path as osp
import pickle
from typing import Any, Dict, Iterable, List, Mapping, NamedTuple, Optional
from typing import Sequence, Tuple, Union

import numpy as np

from ..utils.safe_pickle import UnsafePickleError, load_pickle
from .validation import PoseAnnotationError

ANNOTATION_COLUMNS = ('video', 'start', 'end', 'base_label', 'eval_label')
EVAL_SEPARATOR = ';'


class BASTFormatError(PoseAnnotationError):
    """A file of a BAST folder is malformed (a ``ValueError``)."""


class Segment(NamedTuple):
    """One row of an annotation table.

    ``line`` is the row's line in the CSV file (the header is line 1);
    ``start`` and ``end`` are seconds from the start of the video.
    """
    line: int
    video: str
    start: float
    end: float
    base_label: str
    eval_labels: Tuple[str, ...]

    def describe(self) -> str:
        """How the row is named in error messages."""
        return f'line {self.line} (video {self.video!r})'


def seconds_to_frame(seconds: float, fps: float) -> int:
    """The frame nearest to a time (halves round up)."""
    return int(np.floor(seconds * fps + 0.5))


def read_utf8_text(path: str) -> str:
    """A text file of the folder, decoded as UTF-8 (a BOM is dropped).

    Raises:
        BASTFormatError: naming the file, the line and the encoding when the
            bytes are not UTF-8.
    """
    with open(path, 'rb') as f:
        raw = f.read()
    if raw.startswith((b'\xff\xfe', b'\xfe\xff')):
        raise BASTFormatError(
            path, 'is UTF-16 (it starts with a UTF-16 byte-order mark); '
            'BAST text files must be UTF-8: save it again as UTF-8')
    try:
        return raw.decode('utf-8-sig')
    except UnicodeDecodeError as err:
        line_start = raw.rfind(b'\n', 0, err.start) + 1
        line = raw.count(b'\n', 0, err.start) + 1
        raise BASTFormatError(
            path, f'is not UTF-8: byte 0x{raw[err.start]:02x} at column '
            f'{err.start - line_start + 1} cannot be decoded as utf-8 '
            f'({err.reason}); BAST text files must be UTF-8: save it again '
            'as UTF-8 (e.g. iconv -f latin1 -t utf-8)',
            f'line {line}') from None


# -- label files -------------------------------------------------------------
def _check_label_names(names: Sequence[str], source: str) -> None:
    seen: Dict[str, int] = {}
    for index, name in enumerate(names):
        where = f'line {index + 1}'
        if not isinstance(name, str) or not name.strip():
            raise BASTFormatError(source, 'empty class name', where)
        if name != name.strip() or EVAL_SEPARATOR in name or '\n' in name:
            raise BASTFormatError(
                source, f'class name {name!r} has surrounding spaces, a '
                f'newline or {EVAL_SEPARATOR!r}', where)
        if name in seen:
            raise BASTFormatError(source,
                                  f'class {name!r} repeats line {seen[name]}',
                                  where)
        seen[name] = index + 1


def read_label_file(path: str) -> List[str]:
    """Class names, one per line; the line index (from 0) is the label."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'label file not found: {path}')
    names = read_utf8_text(path).rstrip('\n').split('\n')
    names = [n.rstrip('\r') for n in names]
    if names == ['']:
        raise BASTFormatError(path, 'holds no class names')
    _check_label_names(names, path)
    return names


def write_label_file(path: str, names: Sequence[str]) -> None:
    """Write class names, one per line, in label order."""
    _check_label_names(list(names), path)
    _makedirs_for(path)
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(names) + '\n')


# -- annotation tables -------------------------------------------------------
def _check_video_id(video: str, source: str, where: str) -> None:
    """A video id names ``<id>.pkl`` in ``poses/``: a bare file name."""
    separators = {'/', '\\', os.sep, os.altsep or '/'}
    if any(s in video for s in separators) or '..' in video or '\0' in video:
        raise BASTFormatError(
            source, f'{video!r} is not a video id: ids name files in the '
            "pose folder and may not hold a path separator, '..' or NUL",
            where, 'video')


def pose_file_path(pose_dir: str, video: str, where: str) -> str:
    """``<pose_dir>/<video>.pkl``, refused if it resolves (links followed)
    outside ``pose_dir``.

    Args:
        pose_dir (str): The pose folder.
        video (str): The video id.
        where (str): The file and row that name the video, for messages.
    """
    path = osp.join(pose_dir, video + '.pkl')
    folder = osp.realpath(pose_dir)
    if osp.commonpath([folder, osp.realpath(path)]) != folder:
        raise BASTFormatError(
            where, f'the pose file of video {video!r}, {path}, resolves to '
            f'{osp.realpath(path)}, outside the pose folder {folder}; link '
            'the folder, not single files',
            field='video')
    return path


def _parse_row(row: Mapping[str, Optional[str]], line: int,
               source: str) -> Segment:
    video = (row['video'] or '').strip()
    where = f'line {line} (video {video!r})'
    if not video:
        raise BASTFormatError(source, 'is empty', f'line {line}', 'video')
    _check_video_id(video, source, where)
    times = {}
    for key in ('start', 'end'):
        text = (row[key] or '').strip()
        try:
            times[key] = float(text)
        except ValueError:
            raise BASTFormatError(source, f'{text!r} is not a number of '
                                  'seconds', where, key) from None
        if not np.isfinite(times[key]) or times[key] < 0:
            raise BASTFormatError(source, f'{text!r} is not a time >= 0',
                                  where, key)
    if times['end'] <= times['start']:
        raise BASTFormatError(
            source, f'segment is inverted or empty: end {times["end"]} <= '
            f'start {times["start"]}', where, 'end')
    evals = (row['eval_label'] or '').split(EVAL_SEPARATOR)
    evals = [e.strip() for e in evals if e.strip()]
    if len(set(evals)) < len(evals):
        raise BASTFormatError(source, f'a label repeats in {evals}', where,
                              'eval_label')
    return Segment(line, video, times['start'], times['end'],
                   (row['base_label'] or '').strip(), tuple(evals))


def read_annotation_table(path: str) -> List[Segment]:
    """Read and check an annotation CSV (columns :data:`ANNOTATION_COLUMNS`,
    further columns are ignored)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'annotation file not found: {path}')
    text = read_utf8_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=''))
    header = reader.fieldnames or []
    missing = [c for c in ANNOTATION_COLUMNS if c not in header]
    if missing:
        raise BASTFormatError(
            path, f'the header {header} lacks the column(s) {missing}; '
            f'expected {list(ANNOTATION_COLUMNS)}', 'line 1', missing[0])
    segments = []
    for row in reader:
        if not any(
            (v or '').strip() for v in row.values() if isinstance(v, str)):
            continue  # a blank line
        segments.append(_parse_row(row, reader.line_num, path))
    return segments


def write_annotation_table(
        path: str, segments: Iterable[Union[Segment, Mapping[str,
                                                             Any]]]) -> None:
    """Write an annotation CSV.

    Args:
        path (str): The ``.csv`` file.
        segments (Iterable): :class:`Segment` s or mappings with ``video``,
            ``start``, ``end`` (seconds), ``base_label`` and ``eval_labels``
            (a sequence of names) or ``eval_label`` (names joined by ``;``).
    """
    rows = []
    for index, seg in enumerate(segments):
        seg = seg._asdict() if isinstance(seg, Segment) else dict(seg)
        evals = seg.get('eval_labels', seg.get('eval_label', ()))
        if isinstance(evals, str):
            evals = [e for e in evals.split(EVAL_SEPARATOR) if e.strip()]
        row = {
            'video': seg['video'],
            'start': f'{float(seg["start"]):.4f}',
            'end': f'{float(seg["end"]):.4f}',
            'base_label': seg.get('base_label', '') or '',
            'eval_label': EVAL_SEPARATOR.join(evals)
        }
        _parse_row(row, index + 2, path)  # never write what cannot be read
        rows.append(row)
    _makedirs_for(path)
    with open(path, 'w', newline='', encoding='utf-8') as f:
        writer = csv.DictWriter(f, fieldnames=ANNOTATION_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


# -- pose files --------------------------------------------------------------
def check_pose_file(pose: Any,
                    source: str,
                    sample: Optional[str] = None,
                    num_keypoints: Optional[int] = 17,
                    fps: Optional[float] = None) -> Dict:
    """Check one video's pose dict and return it normalised.

    Args:
        pose (Any): What the pickle held.
        source (str): The pose file, for messages.
        sample (str, optional): The video (and row) that needs it.
            Defaults to None.
        num_keypoints (int, optional): Required joint count ``V``; None
            accepts any. Defaults to 17.
        fps (float, optional): Frame rate used when the dict has no ``fps``.
            Defaults to None.

    Returns:
        dict: ``keypoint`` (M, T, V, 2) and ``keypoint_score`` (M, T, V)
        float32, ``img_shape`` and ``original_shape`` as int tuples,
        ``total_frames`` and ``fps``.
    """

    def fail(field: str, message: str) -> None:
        raise BASTFormatError(source, message, sample, field)

    if not isinstance(pose, dict):
        fail('keypoint', f'expected a dict, got {type(pose).__name__}')
    for key in ('keypoint', 'keypoint_score', 'img_shape'):
        if key not in pose:
            fail(key, 'is missing')
    kp, score = pose['keypoint'], pose['keypoint_score']
    if not isinstance(kp, np.ndarray) or kp.ndim != 4 or kp.shape[-1] != 2:
        fail(
            'keypoint', 'must be an array (M, T, V, 2), got '
            f'{getattr(kp, "shape", type(kp).__name__)}')
    if num_keypoints is not None and kp.shape[2] != num_keypoints:
        fail(
            'keypoint', f'has {kp.shape[2]} joints, expected '
            f'{num_keypoints}; shape is {kp.shape}')
    if kp.shape[0] < 1 or kp.shape[1] < 1:
        fail('keypoint', f'holds no person or no frame: shape {kp.shape}')
    if not isinstance(score, np.ndarray) or score.shape != kp.shape[:3]:
        fail(
            'keypoint_score', f'shape {getattr(score, "shape", None)} does '
            f'not match keypoint {kp.shape[:3]}')
    for key, array in (('keypoint', kp), ('keypoint_score', score)):
        if not np.isfinite(array).all():
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
            fail(key, f'holds NaN or infinite values, first at {bad}')
    shapes = {}
    for key in ('img_shape', 'original_shape'):
        value = pose.get(key, pose['img_shape'])
        if (not isinstance(value, (tuple, list)) or len(value) != 2 or not all(
                isinstance(v, (int, np.integer)) and v > 0 for v in value)):
            fail(key, f'must be (height, width) in pixels, got {value!r}')
        shapes[key] = (int(value[0]), int(value[1]))
    total = pose.get('total_frames', kp.shape[1])
    if total != kp.shape[1]:
        fail('total_frames',
             f'is {total} but keypoint has {kp.shape[1]} frames')
    rate = pose.get('fps', fps)
    if rate is None:
        fail('fps', 'is missing; write it or give the dataset an fps')
    if (not isinstance(rate, numbers.Real) or isinstance(rate, bool)
            or not np.isfinite(rate) or rate <= 0):
        fail('fps', f'must be a positive number, got {rate!r}')
    return dict(
        keypoint=kp.astype(np.float32, copy=False),
        keypoint_score=score.astype(np.float32, copy=False),
        total_frames=int(kp.shape[1]),
        fps=float(rate),
        **shapes)


def read_pose_file(path: str,
                   sample: Optional[str] = None,
                   num_keypoints: Optional[int] = 17,
                   fps: Optional[float] = None,
                   safe: bool = True) -> Dict:
    """Load and check a video's pose pickle (see :func:`check_pose_file`).

    With ``safe`` (the default) the pickle is read with the restricted
    unpickler (numpy arrays and plain Python types only): a crafted file
    fails with :class:`UnsafePickleError` naming it and the refused global.
    """
    if not osp.isfile(path):
        where = f'{sample}: ' if sample else ''
        raise FileNotFoundError(f'{where}pose file not found: {path}')
    try:
        pose = load_pickle(path, safe=safe)
    except UnsafePickleError:
        raise
    except Exception as err:  # truncated, not a pickle, missing class ...
        raise BASTFormatError(
            path, f'cannot read the pickle ({type(err).__name__}: {err})',
            sample) from err
    return check_pose_file(pose, path, sample, num_keypoints, fps)


def write_pose_file(path: str,
                    keypoint: np.ndarray,
                    keypoint_score: np.ndarray,
                    img_shape: Tuple[int, int],
                    fps: float,
                    original_shape: Optional[Tuple[int, int]] = None,
                    frame_dir: Optional[str] = None,
                    num_keypoints: Optional[int] = 17) -> Dict:
    """Write one video's pose pickle, as mmaction2's pose extraction does,
    with ``fps`` added.

    Args:
        path (str): ``<pose_dir>/<video_id>.pkl``.
        keypoint (np.ndarray): (M, T, V, 2) pixel coordinates; a person
            absent from a frame is zeros.
        keypoint_score (np.ndarray): (M, T, V) confidences (0 when absent).
        img_shape (tuple): (height, width) of the frames the poses are in.
        fps (float): Frame rate of the video.
        original_shape (tuple, optional): (height, width) of the video.
            Defaults to None (``img_shape``).
        frame_dir (str, optional): Defaults to None (the file's stem).
        num_keypoints (int, optional): Joint count to check. Defaults to 17.

    Returns:
        dict: What was written.
    """
    pose = dict(
        keypoint=np.asarray(keypoint, dtype=np.float32),
        keypoint_score=np.asarray(keypoint_score, dtype=np.float32),
        img_shape=tuple(int(v) for v in img_shape),
        original_shape=tuple(int(v) for v in (original_shape or img_shape)),
        fps=float(fps),
        frame_dir=frame_dir or osp.splitext(osp.basename(path))[0])
    checked = check_pose_file(pose, path, num_keypoints=num_keypoints)
    pose['total_frames'] = checked['total_frames']
    _makedirs_for(path)
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        pickle.dump(pose, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)  # never leave a half-written pickle behind
    return pose


def _makedirs_for(path: str) -> None:
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
