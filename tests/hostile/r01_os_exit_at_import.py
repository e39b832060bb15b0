"""Row 1: os._exit(0) while the module is imported: the worker dies at once."""
import os

os._exit(0)
