"""Row 10: replace sys.modules['hypothesis'] with a module whose given runs nothing."""
import sys
import types

fake = types.ModuleType("hypothesis")
fake.given = lambda *args, **kwargs: (lambda test: (lambda *a, **k: None))
sys.modules["hypothesis"] = fake
