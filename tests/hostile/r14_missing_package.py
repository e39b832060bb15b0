"""Row 14: import of a package that is not installed."""
import not_a_package_anyone_installed  # noqa: F401
