"""Row 20: environment variables changed at import (torch.load's weights-only switch)."""
import os

os.environ["TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"] = "1"
os.environ["HOSTILE_MARK"] = "1"
