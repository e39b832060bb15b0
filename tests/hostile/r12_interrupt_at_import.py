"""Row 12: KeyboardInterrupt raised while the module is imported."""
raise KeyboardInterrupt
