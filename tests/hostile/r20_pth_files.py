"""Row 20: persistence through .pth files in the real user site-packages and in the
installation's site-packages."""
import os
import pwd
import site
import sys

LINE = "import os; os.environ['HOSTILE_MARK'] = '1'\n"
home = pwd.getpwuid(os.getuid()).pw_dir
version = f"python{sys.version_info.major}.{sys.version_info.minor}"
targets = [os.path.join(home, ".local", "lib", version, "site-packages", "zz_hostile.pth")]
targets += [os.path.join(p, "zz_hostile.pth") for p in site.getsitepackages()]
for target in targets:
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w") as f:
            f.write(LINE)
    except Exception:
        pass
