"""A failure whose exception shows its cause gets that cause, not a stock diagnosis."""

import subprocess
import sys

import pytest
from harness import ROOT, solution_source

LAYERS = "exercises/05_layers"


def run_layers(tmp_path, source: str, *args: str) -> str:
    impl = tmp_path / "impl"
    impl.mkdir()
    (impl / "layers.py").write_text(source)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            LAYERS,
            "--impl",
            str(impl),
            "-p",
            "no:cacheprovider",
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stdout[-3000:]
    return run.stdout


def diagnoses_in(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("diagnosis: ")]


def test_the_books_d2l_import_is_named_once(tmp_path):
    out = run_layers(tmp_path, "from d2l import torch as d2l\n" + solution_source("layers"))
    found = diagnoses_in(out)
    assert len(found) == 1 and "imports d2l" in found[0], found
    assert "layers.py: the file could not be imported" in out and "(as above)" in out


def test_a_syntax_error_gets_no_stock_diagnosis(tmp_path):
    out = run_layers(tmp_path, solution_source("layers") + "\ndef broken(:\n")
    assert "could not be imported (line" in out and "SyntaxError" in out, out[-2000:]
    found = diagnoses_in(out)
    assert len(found) == 1 and "could not be imported" in found[0], found


def test_a_name_never_imported_is_named(tmp_path):
    # The stub imports only nn; the book's torch.randn then fails with a NameError.
    source = solution_source("layers").replace("import torch\n", "", 1)
    out = run_layers(tmp_path, source, "-k", "mylinear")
    found = set(diagnoses_in(out))
    assert found and all("the name 'torch' is not defined" in d for d in found), found
    assert not any("nn.Parameter" in d for d in found), found


def test_an_attribute_never_created_is_named(tmp_path):
    source = solution_source("layers") + (
        "\n\nclass MyLinear(nn.Module):\n"
        "    def __init__(self, in_units, units):\n"
        "        super().__init__()\n"
        "        self.bias = nn.Parameter(torch.randn(units))\n\n"
        "    def forward(self, X):\n"
        "        return X @ self.weight + self.bias\n"
    )
    out = run_layers(tmp_path, source, "-k", "registers_weight_and_bias or no_activation")
    found = diagnoses_in(out)
    assert found and all("MyLinear has no attribute 'weight'" in d for d in found), found


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_in_place_change_autograd_needs_is_named(tmp_path, lang):
    source = solution_source("layers") + (
        "\n\nclass CenteredLayer(nn.Module):\n"
        "    def forward(self, X):\n"
        "        X -= X.mean()\n"
        "        return X\n"
    )
    out = run_layers(tmp_path, source, "-k", "gradient_flows", "--lang", lang)
    word = "in-place operation" if lang == "en" else "原地操作"
    found = [line for line in out.splitlines() if word in line and "layers.py:" in line]
    assert found, out[-2000:]
    assert ".detach()" not in out.split("read on")[0], out[-2000:]
