"""Row 2: an infinite loop while the module is imported."""
while True:
    pass
