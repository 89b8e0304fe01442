# MotionBERT fine-tuned for NTU60 X-Sub action recognition, the release's
# recipe (configs/action/MB_ft_NTU60_xsub.yaml): the pretrained DSTformer
# (`load_from` takes the release's latest_epoch.bin directly), 300 epochs.
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/models/dstformer_motionbert.py',
    '../../_base_/datasets/ntu60-xsub-keypoint-2d_motionbert-u243.py',
    '../../_base_/schedules/adamw_motionbert-ft-300e.py'
]
# The release's pretrained MotionBERT (docs/motionbert.md).
load_from = 'checkpoint/pretrain/MB_release/latest_epoch.bin'
