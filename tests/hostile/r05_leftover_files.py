"""Row 5, files: at import, folders only a change of their modes lets the grader delete
(unless it is root): a read-only folder (chmod 0500) around a 64 MiB file, a folder
and a file with no permissions at all (chmod 0), in the worker's folder, its TMPDIR
and its HOME; the HOME folder itself is made read-only too."""
import os
import tempfile

MARK = "HOSTILE-7f3a-leftover"


def _lock(where):
    base = os.path.join(where, MARK)
    os.makedirs(os.path.join(base, "locked"))
    with open(os.path.join(base, "locked", "big.bin"), "wb") as f:
        f.truncate(64 * 1024 * 1024)
    os.makedirs(os.path.join(base, "closed", "inner"))
    with open(os.path.join(base, "closed", "inner", "note.txt"), "w") as f:
        f.write("left behind\n")
    with open(os.path.join(base, "no-access.txt"), "w") as f:
        f.write("left behind\n")
    os.chmod(os.path.join(base, "no-access.txt"), 0)
    os.chmod(os.path.join(base, "locked"), 0o500)
    os.chmod(os.path.join(base, "closed", "inner"), 0)
    os.chmod(os.path.join(base, "closed"), 0)
    os.chmod(base, 0o500)


for _where in sorted({os.getcwd(), tempfile.gettempdir(), os.path.expanduser("~")}):
    _lock(_where)
os.chmod(os.path.expanduser("~"), 0o500)
