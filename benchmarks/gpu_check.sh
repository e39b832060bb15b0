#!/usr/bin/env bash
# The kit's checks that need a real GPU, in one short run (a few minutes):
#   1. the CUDA checks of every exercise, on the reference solutions (they must pass);
#   2. the mistakes only a GPU shows (tests/mutants_cuda), each against its exercise's
#      CUDA checks (each must be caught), and proof that the CPU checks miss them;
#   3. one submission (the solutions) graded with --gpu, its report's grader section.
# It prints a summary and exits non-zero if any step failed.
#
# Run it from the kit's root on a machine with an NVIDIA GPU and PyTorch with CUDA:
#     bash benchmarks/gpu_check.sh
# It installs the kit itself (no download: pytest, Hypothesis and pytest-timeout must
# already be there, as on the course's GPU images) and writes its logs to $OUT when set,
# else to a temporary folder.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
LOGS=${OUT:-$(mktemp -d)}
mkdir -p "$LOGS"
export PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1

status=()
step() {  # step NAME COMMAND...: run it, log it, record ok / FAILED
    local name=$1
    shift
    echo "== $name"
    if "$@" >"$LOGS/$name.log" 2>&1; then
        status+=("ok      $name")
    else
        status+=("FAILED  $name (see $LOGS/$name.log)")
        tail -n 40 "$LOGS/$name.log"
    fi
}

step gpu "$PY" -c "
import torch
assert torch.cuda.is_available(), 'torch sees no CUDA device'
for i in range(torch.cuda.device_count()):
    print(i, torch.cuda.get_device_name(i), torch.version.cuda)
"
step install "$PY" -m pip install -q --no-deps --no-build-isolation -e .
step cuda-checks "$PY" -m pytest exercises/ --impl solutions -m cuda -p no:cacheprovider -rA
step cuda-mutants "$PY" -m pytest tests/test_teeth.py -k cuda_mutant -p no:cacheprovider -rA
step grade-gpu "$PY" -m grader grade solutions --gpu --format json --output "$LOGS/report.json"
if [ -f "$LOGS/report.json" ]; then
    "$PY" -c "
import json, sys
report = json.load(open(sys.argv[1]))
sub = report['submissions'][0]
print('score', sub['score'], '/', sub['max_score'])
print('grader', json.dumps(report['grader'], indent=1, sort_keys=True))
" "$LOGS/report.json" | tee "$LOGS/summary-report.txt"
fi

echo
echo "== summary"
printf '%s\n' "${status[@]}" | tee "$LOGS/summary.txt"
grep -h -E "passed|failed" "$LOGS/cuda-checks.log" "$LOGS/cuda-mutants.log" 2>/dev/null | tail -n 2
! printf '%s\n' "${status[@]}" | grep -q FAILED
