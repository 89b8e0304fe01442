"""`import mmhar_robust` applies the fixes once and does nothing else heavy."""
import subprocess
import sys

from mmhar_robust import compat


def test_apply_is_idempotent_and_reports_every_fix():
    first = compat.apply()
    assert set(first) == {
        'torchvision ops', 'mmaction2 drn', 'checkpoint globals',
        'checkpoint loader', 'cpu distributed'
    }
    assert compat.apply() == first


def test_import_leaves_plotting_sklearn_gradcam_and_warnings_alone():
    code = ('import sys, warnings\n'
            'before = list(warnings.filters)\n'
            'import mmhar_robust\n'
            'heavy = [m for m in ("matplotlib", "sklearn", "pytorch_grad_cam")'
            ' if m in sys.modules]\n'
            'ours = [f for f in warnings.filters if f not in before and '
            'f[1] is not None and "MultiScaleDeformable" in f[1].pattern]\n'
            'print(heavy, ours)\n')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, check=True).stdout.strip().splitlines()
    assert out[-1] == '[] []'  # the mmcv-lite filter is scoped
