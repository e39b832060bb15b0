"""Progressive hints, one file per exercise (``<module>.py`` holding ``HINTS``:
contract name -> {"en": [...], "zh": [...]}); read by :mod:`grader.hints`."""
