"""The exercises of the kit, in teaching order: the one table everything else reads.

Like rustlings' ``info.toml``: each entry names the module file the contract fixes,
its folder under ``exercises/`` and ``solutions/``, the items the learner writes
(in the order the lesson introduces them) and where in d2l to read on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

D2L_EN = "https://d2l.ai/chapter_builders-guide/"
D2L_ZH = "https://zh.d2l.ai/chapter_deep-learning-computation/"


@dataclass(frozen=True)
class Exercise:
    name: str  # module file stem, fixed by the contract
    folder: str  # folder under exercises/ and solutions/
    title: str
    title_zh: str
    items: tuple[str, ...]  # contract names, in teaching order
    read_en: str
    read_zh: str

    @property
    def filename(self) -> str:
        return f"{self.name}.py"

    @property
    def test_filename(self) -> str:
        return f"test_{self.name}.py"


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "blocks",
        "01_blocks",
        "Layers and blocks",
        "层和块",
        ("MLP", "MySequential", "FixedHiddenMLP", "NestMLP", "chimera"),
        D2L_EN + "model-construction.html",
        D2L_ZH + "model-construction.html",
    ),
    Exercise(
        "parameters",
        "02_parameters",
        "Parameter management and initialisation",
        "参数管理",
        (
            "count_parameters",
            "block1",
            "block2",
            "rgnet",
            "init_normal",
            "init_constant",
            "init_xavier",
            "init_42",
            "my_init",
        ),
        D2L_EN + "parameters.html",
        D2L_ZH + "parameters.html",
    ),
    Exercise(
        "sharing",
        "03_sharing",
        "Tied parameters",
        "参数绑定",
        ("shared_mlp", "tie_weights"),
        D2L_EN + "parameters.html#tied-parameters",
        D2L_ZH + "parameters.html#id9",
    ),
    Exercise(
        "lazy",
        "04_lazy",
        "Lazy initialisation",
        "延后初始化",
        ("lazy_mlp", "materialize"),
        D2L_EN + "lazy-init.html",
        D2L_ZH + "deferred-init.html",
    ),
    Exercise(
        "layers",
        "05_layers",
        "Custom layers",
        "自定义层",
        ("CenteredLayer", "MyLinear"),
        D2L_EN + "custom-layer.html",
        D2L_ZH + "custom-layer.html",
    ),
    Exercise(
        "file_io",
        "06_file_io",
        "File I/O",
        "读写文件",
        ("save_tensors", "load_tensors", "save_params", "load_params"),
        D2L_EN + "read-write.html",
        D2L_ZH + "read-write.html",
    ),
    Exercise(
        "devices",
        "07_devices",
        "GPUs and devices",
        "GPU",
        ("num_gpus", "try_gpu", "try_all_gpus", "to_device"),
        D2L_EN + "use-gpu.html",
        D2L_ZH + "use-gpu.html",
    ),
    Exercise(
        "containers",
        "08_containers",
        "Containers and module state",
        "容器与模块状态",
        ("LayerStack", "MultiTaskHead", "ResidualBlock", "RunningMean", "predict"),
        "https://d2l.ai/chapter_convolutional-modern/batch-norm.html",
        "https://zh.d2l.ai/chapter_convolutional-modern/batch-norm.html",
    ),
    Exercise(
        "training",
        "09_training",
        "Train your own layers",
        "训练自己的层",
        ("synthetic_data", "train"),
        "https://d2l.ai/chapter_linear-regression/linear-regression-concise.html",
        "https://zh.d2l.ai/chapter_linear-networks/linear-regression-concise.html",
    ),
)

BY_NAME = {ex.name: ex for ex in EXERCISES}
MODULE_NAMES = tuple(ex.name for ex in EXERCISES)


def exercise_of_item(item: str) -> Exercise | None:
    """The exercise that asks for a contract name (``MySequential`` -> blocks)."""
    for ex in EXERCISES:
        if item in ex.items:
            return ex
    return None


def module_of_test_file(path: Path) -> str | None:
    """The module a test file belongs to: by a folder on ``path`` (``layers/``,
    ``05_layers/``; the innermost first), else by its name (``test_layers.py``,
    ``test_layers_edge_cases.py``). ``path``: the file's path under the folder of tests
    (an instructor's ``--tests DIR``), or as much of it as is known."""
    for part in reversed(path.parts[:-1]):
        for ex in EXERCISES:
            if part in (ex.name, ex.folder):
                return ex.name
    stem = path.stem
    matches = [
        ex.name
        for ex in EXERCISES
        if stem == f"test_{ex.name}" or stem.startswith(f"test_{ex.name}_")
    ]
    return max(matches, key=len) if matches else None


def missing_name(module: str, attr: str) -> str:
    """The sentence for a name the learner's module does not define (yet)."""
    return (
        f"{module}.py defines no `{attr}`; the exercise asks for it "
        f"(see the docstring in exercises/{BY_NAME[module].folder}/{module}.py)"
    )
