# Runtime shared by every mmhar_robust config (mmaction2's default runtime,
# plus the import that registers our components). `custom_imports` makes the
# configs run under mmaction2's own tools/train.py and tools/test.py too.
custom_imports = dict(imports=['mmhar_robust'], allow_failed_imports=False)
default_scope = 'mmaction'

default_hooks = dict(
    runtime_info=dict(type='RuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=20, ignore_last=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=1, save_best='auto'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    sync_buffers=dict(type='SyncBuffersHook'),
    # Fresh, worker-independent training noise each epoch (KeypointNoise).
    keypoint_noise_epoch=dict(type='KeypointNoiseEpochHook'),
    # Random states in checkpoints: a resume equals an uninterrupted run.
    random_state=dict(type='RandomStateHook'))

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    # nccl for GPUs; without a GPU mmhar_robust runs gloo instead
    # (docs/training.md, "Several processes").
    dist_cfg=dict(backend='nccl'))

log_processor = dict(type='LogProcessor', window_size=20, by_epoch=True)

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='ActionVisualizer', vis_backends=vis_backends)

log_level = 'INFO'
load_from = None
resume = False
