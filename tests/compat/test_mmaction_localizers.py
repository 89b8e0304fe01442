"""mmaction.models imports on the 1.1.0 and 1.2.0 wheels alike."""
import pytest

import mmhar_robust  # noqa: F401
from mmhar_robust.compat import MissingDRN, drn_is_missing, drn_patched


def test_models_import_and_recognizers_registered():
    import mmaction
    import mmaction.models  # noqa: F401
    from mmaction.registry import MODELS
    assert 'Recognizer3D' in MODELS
    assert 'ResNet3dSlowOnly' in MODELS
    # The stand-in is present exactly when the wheel lacks drn.
    assert drn_patched() == drn_is_missing()
    if mmaction.__version__ == '1.2.0':
        assert drn_patched()


@pytest.mark.skipif(not drn_is_missing(),
                    reason='this mmaction2 (e.g. 1.1.0) imports no drn module')
def test_missing_drn_says_why_when_built():
    from mmaction.models.localizers import DRN
    assert DRN is MissingDRN
    with pytest.raises(ImportError, match='2714'):
        DRN()
