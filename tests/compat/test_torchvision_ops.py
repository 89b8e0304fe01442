"""torchvision (and so grad-cam and MMEngine's Runner) import next to CPU torch."""
import subprocess
import sys

import torch


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-c', code],
                          capture_output=True,
                          text=True,
                          timeout=300)


def test_plain_import_state_is_what_the_patch_assumes():
    """Without the plugin, torchvision imports iff its extension loads."""
    probe = _run('from mmhar_robust.compat.torchvision_ops import '
                 'torchvision_extension_loads as f; print(f())')
    assert probe.returncode == 0, probe.stderr
    loads = probe.stdout.strip() == 'True'
    plain = _run('import torchvision')
    if loads:
        assert plain.returncode == 0, plain.stderr
    else:
        assert 'torchvision::nms does not exist' in plain.stderr


def test_plugin_makes_torchvision_and_gradcam_import():
    result = _run('import mmhar_robust, torchvision, pytorch_grad_cam\n'
                  'from mmhar_robust.compat import torchvision_ops_patched, '
                  'torchvision_extension_loads\n'
                  'print(torchvision_ops_patched())')
    assert result.returncode == 0, result.stderr
    # The patch applies exactly when the extension does not load.
    ext = _run('from mmhar_robust.compat.torchvision_ops import '
               'torchvision_extension_loads as f; print(f())')
    assert result.stdout.strip() == str(ext.stdout.strip() == 'False')


def test_gradcam_runs_on_5d_activations():
    import mmhar_robust  # noqa: F401
    from pytorch_grad_cam import GradCAM
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

    conv = torch.nn.Conv3d(1, 4, 3, padding=1)
    model = torch.nn.Sequential(conv, torch.nn.ReLU(),
                                torch.nn.AdaptiveAvgPool3d(1),
                                torch.nn.Flatten(), torch.nn.Linear(4, 2))
    x = torch.randn(1, 1, 4, 8, 8)
    with GradCAM(model=model, target_layers=[conv]) as cam:
        heat = cam(input_tensor=x, targets=[ClassifierOutputTarget(1)])
    assert heat.shape == (1, 4, 8, 8)
    assert torch.isfinite(torch.as_tensor(heat)).all()


def test_runner_environment_report_imports_torchvision():
    result = _run('import mmhar_robust\n'
                  'from mmengine.utils.dl_utils import collect_env\n'
                  'env = collect_env()\n'
                  'print(env["TorchVision"])')
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith('0.')
