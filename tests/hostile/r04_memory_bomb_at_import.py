"""Row 4: allocate without end while the module is imported."""
chunks = []
while True:
    chunks.append(bytes(256 * 1024 * 1024))  # calloc'd: costs address space, not pages
