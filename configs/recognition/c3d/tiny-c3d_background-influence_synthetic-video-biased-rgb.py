# Seed 004's background experiment through tools/test.py (ours or
# mmaction2's): the biased RGB model is tested with the background kept
# ('none') and stripped with every fill (docs/background.md, "Background
# influence"). All fills come from one decoding of each video; the metrics
# of all fills go to <work_dir>/background_influence.jsonl, which a rerun
# resumes.
# Swapped backgrounds come from the annotations' plates/ videos.
#   python tools/test.py THIS_CONFIG work_dirs/biased/epoch_20.pth
_base_ = ['./tiny-c3d_1xb8-u16-20e_synthetic-video-biased-rgb.py']
test_cfg = dict(
    type='BackgroundSweepTestLoop',
    fills=['none', 'black', 'mean', 'blur', 'noise', 'swap'],
    mask='box',
    margin=0.1,
    seed=0)
