"""Progressive hints for exercise 3 (tied parameters): contract name ->
{"en": [...], "zh": [...]}."""

HINTS: dict[str, dict[str, list[str]]] = {
    "shared_mlp": {
        "en": [
            "Read d2l “Parameter Management”, tied parameters (参数绑定): the book's example "
            "gives a layer a name, `shared`, and puts it at two positions of an "
            "`nn.Sequential`.",
            "Sharing means one object, not equal values: build the middle "
            "`nn.Linear(num_hiddens, num_hiddens)` once, keep it in a variable, and use that "
            "variable twice.",
            "`copy.deepcopy`, a second `nn.Linear`, or two layers that share only their weight "
            "look alike at first but are not one layer: the biases differ and the gradients "
            "of the two uses do not add up.",
            "Seven modules in all: a Linear from num_inputs to num_hiddens, ReLU, the shared "
            "layer, ReLU, the shared layer again, ReLU, and a Linear from num_hiddens to 1. "
            "Then `net[2] is net[4]` holds.",
        ],
        "zh": [
            "阅读 d2l「参数管理」中的参数绑定：书中的例子给一个层起名 `shared`，把它放在 "
            "`nn.Sequential` 的两个位置上。",
            "共享指的是同一个对象，而不是数值相等：中间的 `nn.Linear(num_hiddens, num_hiddens)` "
            "只建一次，存进一个变量，再把这个变量用两次。",
            "`copy.deepcopy`、再建一个 `nn.Linear`，或两个只共享权重的层，一开始看着一样，"
            "但都不是同一个层：偏置不同，两处使用的梯度也不会累加。",
            "一共七个模块：从 num_inputs 到 num_hiddens 的 Linear、ReLU、共享层、ReLU、"
            "再一次共享层、ReLU、从 num_hiddens 到 1 的 Linear。这样 `net[2] is net[4]` 成立。",
        ],
    },
    "tie_weights": {
        "en": [
            "Read d2l “Parameter Management”, tied parameters (参数绑定): to tie is to make two "
            "modules hold the very same `nn.Parameter` object, so that there is one tensor and "
            "one `.grad`.",
            "Look only at the parameters each module holds directly, not at its children's: "
            "`named_parameters(recurse=False)`, or the module's `_parameters` dict (skip None "
            "entries). The names to tie are those found in both.",
            "Validate before you change anything: raise `ValueError` if no name is common, or "
            "if the two tensors under some common name differ in `.shape` (not merely in "
            "`numel()`), and put that name in the message. Only once every check has passed, "
            "start tying.",
            "Tying is one `setattr(dst, name, p)` per common name, `p` being src's own "
            "Parameter: no `.clone()`, no new `nn.Parameter(...)` around it, no `.data.copy_`. "
            "src stays as it was, and the function returns None.",
        ],
        "zh": [
            "阅读 d2l「参数管理」中的参数绑定：绑定就是让两个模块持有同一个 `nn.Parameter` "
            "对象，于是只有一个张量、一个 `.grad`。",
            "只看每个模块自身直接持有的参数，不看子模块的：`named_parameters(recurse=False)`，"
            "或模块的 `_parameters` 字典（跳过值为 None 的项）。要绑定的是两者都有的名字。",
            "先检查，再改动：没有共同名字，或某个共同名字下两个张量的 `.shape` 不同"
            "（不只是 `numel()` 不同）时，抛出 `ValueError`，并在消息中写明这个名字。"
            "所有检查都通过后，才开始绑定。",
            "绑定就是对每个共同名字调用一次 `setattr(dst, name, p)`，其中 `p` 是 src 自己的 "
            "Parameter：不要 `.clone()`，不要再包一层 `nn.Parameter(...)`，也不要 "
            "`.data.copy_`。src 保持不变，函数返回 None。",
        ],
    },
}
