"""Row 17: pytest.skip(allow_module_level=True) while the module is imported."""
import pytest

pytest.skip("skip me whole", allow_module_level=True)
