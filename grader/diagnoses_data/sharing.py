"""Diagnoses for exercise 3 (tied parameters): test function -> {"en", "zh"}."""

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ shared_mlp
    "test_shared_mlp_structure": {
        "en": "shared_mlp's positions 2 and 4 are two layers, or its sizes are off: "
        "`copy.deepcopy(shared)`, a second `nn.Linear(h, h)`, or two layers that share only "
        "the weight are not one layer; build a single `nn.Linear(num_hiddens, num_hiddens)` "
        "and put that instance at both positions, between `nn.Linear(num_inputs, num_hiddens)` "
        "and `nn.Linear(num_hiddens, 1)` (arguments not swapped).",
        "zh": "`shared_mlp` 的第 2 和第 4 个位置是两个层，或尺寸不对：`copy.deepcopy(shared)`、"
        "再建一个 `nn.Linear(h, h)`，或两个只共享权重的层，都不是同一个层；请只建一个 "
        "`nn.Linear(num_hiddens, num_hiddens)`，把这个实例放在两个位置上，前面是 "
        "`nn.Linear(num_inputs, num_hiddens)`，最后是 `nn.Linear(num_hiddens, 1)`"
        "（参数不要写反）。",
    },
    "test_shared_mlp_default_sizes": {
        "en": "shared_mlp() without arguments should map 4 inputs through 8 hidden units to "
        "1 output: the defaults are `num_inputs=4, num_hiddens=8`, in that order, and the "
        "first layer is `nn.Linear(num_inputs, num_hiddens)` (check the sizes are not swapped).",
        "zh": "不带参数的 `shared_mlp()` 应把 4 个输入经 8 个隐藏单元映射到 1 个输出：默认值"
        "依次为 `num_inputs=4, num_hiddens=8`，第一层是 `nn.Linear(num_inputs, num_hiddens)`"
        "（检查尺寸没有写反）。",
    },
    "test_shared_mlp_holds_one_set_of_shared_parameters": {
        "en": "net[2] and net[4] do not hold the same parameters: a `copy.deepcopy`, a second "
        "`nn.Linear`, or tying only the weight makes `parameters()` list extra tensors, and a "
        "change to `net[2].weight` does not show in `net[4]`; put one and the same "
        "`nn.Linear` instance at both positions.",
        "zh": "net[2] 和 net[4] 持有的不是同一组参数：用 `copy.deepcopy`、再建一个 "
        "`nn.Linear`，或只绑定权重，都会让 `parameters()` 多出张量，而且修改 "
        "`net[2].weight` 不会反映到 `net[4]`；请把同一个 `nn.Linear` 实例放在两个位置上。",
    },
    "test_shared_mlp_forward": {
        "en": "shared_mlp's output is not net[6] applied after net[0] and then net[2] twice "
        "(with ReLUs between): usually positions 2 and 4 are separate layers (a second "
        "`nn.Linear`, or only the weight tied, so the biases differ), or the sizes are "
        "swapped; use the same `nn.Linear(num_hiddens, num_hiddens)` instance at both "
        "positions.",
        "zh": "`shared_mlp` 的输出不等于先 net[0]、再两次 net[2]（中间夹 ReLU）、最后 net[6] "
        "的结果：通常是第 2 和第 4 个位置是不同的层（再建了一个 `nn.Linear`，或只绑定了"
        "权重，偏置不同），或尺寸写反了；请在两个位置上使用同一个 "
        "`nn.Linear(num_hiddens, num_hiddens)` 实例。",
    },
    "test_shared_gradient_is_the_sum_of_both_uses": {
        "en": "The shared layer's gradient is not the sum of the gradients of both uses: "
        "positions 2 and 4 are two layers (`copy.deepcopy`, a second `nn.Linear`, only the "
        "weight tied), so each gets one use's share, or the sizes are wrong; with one "
        "`nn.Linear` instance at both positions autograd adds both contributions into its "
        "one `.grad`.",
        "zh": "共享层的梯度不等于两处使用的梯度之和：第 2 和第 4 个位置是两个层"
        "（`copy.deepcopy`、再建一个 `nn.Linear`、只绑定权重），各自只得到一处的梯度，"
        "或尺寸不对；在两个位置上放同一个 `nn.Linear` 实例，自动微分就会把两处的贡献"
        "累加到它唯一的 `.grad` 中。",
    },
    # ------------------------------------------------------------ tie_weights
    "test_tie_weights_shares_the_very_same_parameters": {
        "en": "dst does not end up holding src's very Parameter objects: copying values "
        "(`.data.copy_`), `nn.Parameter(src.weight.clone())` or even `nn.Parameter(src.weight)` "
        "(same storage, own gradient) makes a new object, tying the wrong way round changes "
        "src, and tying only `weight` leaves `bias` apart; for every common name give dst "
        "src's Parameter itself with `setattr(dst, name, ...)`, and return None.",
        "zh": "dst 最终持有的不是 src 的那几个 Parameter 对象本身：复制数值（`.data.copy_`）、"
        "`nn.Parameter(src.weight.clone())`，甚至 `nn.Parameter(src.weight)`（存储相同，但梯度"
        "各自独立）都会造出新对象；方向绑反了会改动 src；只绑定 `weight` 会让 `bias` 各自为政。"
        "请对每个共同的名字用 `setattr(dst, name, ...)` 把 src 的 Parameter 本身交给 dst，"
        "并返回 None。",
    },
    "test_tie_weights_ties_only_common_names": {
        "en": "tie_weights must tie exactly the names both modules hold: giving dst every "
        "parameter of src (e.g. a `bias` it never had) is wrong, and copying values or "
        "wrapping src's tensor in a new `nn.Parameter` is no tie; collect the names present "
        "in both modules' own parameters and `setattr` src's Parameter on dst for those alone.",
        "zh": "`tie_weights` 只应绑定两个模块都有的名字：把 src 的所有参数都交给 dst"
        "（例如 dst 原本没有的 `bias`）是错的，复制数值或把 src 的张量包进新的 "
        "`nn.Parameter` 也不算绑定；请找出两个模块自身参数中共有的名字，只对这些名字用 "
        "`setattr` 把 src 的 Parameter 设到 dst 上。",
    },
    "test_tied_modules_train_together": {
        "en": "src and dst do not train as one: after copying values (`.data.copy_`) or "
        "making a new `nn.Parameter` (even around src's own tensor) each keeps its own "
        "`.grad`, so gradients do not add up and a step on dst leaves src behind, and tying "
        "only the weight leaves the biases apart; give dst src's Parameter objects "
        "themselves with `setattr`, for every common name.",
        "zh": "src 和 dst 没有一起训练：复制数值（`.data.copy_`）或新建 `nn.Parameter`"
        "（哪怕包着 src 自己的张量）后，两者各有各的 `.grad`，梯度不会累加，对 dst 走一步"
        "也带不动 src；只绑定权重则偏置各自为政。请对每个共同的名字用 `setattr` 把 src 的 "
        "Parameter 对象本身交给 dst。",
    },
    "test_tie_weights_rejects_a_shape_mismatch": {
        "en": "A shape mismatch must raise `ValueError` naming the parameter (e.g. `'bias'`) "
        "and change nothing: `assert` gives an AssertionError and RuntimeError is the wrong "
        "type, comparing `numel()` lets a (2, 6) weight pass for (3, 4), and tying name by "
        "name has already tied `weight` when `bias` fails; first compare `.shape` for every "
        "common name, then tie them all.",
        "zh": "形状不符时必须抛出指明参数名（例如 `'bias'`）的 `ValueError`，且不改动任何"
        "东西：用 `assert` 得到的是 AssertionError，RuntimeError 类型也不对；比较 "
        "`numel()` 会让 (2, 6) 的权重冒充 (3, 4)；逐个名字边查边绑，会在 `bias` 出错前已经"
        "绑了 `weight`。请先比较所有共同名字的 `.shape`，全部通过后再统一绑定。",
    },
    "test_tie_weights_rejects_modules_without_a_common_name": {
        "en": "When src and dst hold no parameter name in common (e.g. `scale` vs `weight`, "
        "or an `nn.ReLU`), tie_weights must raise `ValueError` rather than silently do "
        "nothing, and change neither module; check whether the common names are empty "
        "before tying anything.",
        "zh": "当 src 和 dst 没有共同的参数名时（例如 `scale` 与 `weight`，或其中一个是 "
        "`nn.ReLU`），`tie_weights` 必须抛出 `ValueError`，而不是悄无声息地什么都不做，"
        "且两个模块都不改动；请在绑定之前先检查共同名字是否为空。",
    },
    "test_tie_weights_looks_only_at_direct_parameters": {
        "en": "tie_weights should look only at each module's own parameters: "
        "`named_parameters()` recurses into children (`0.weight`), so two `nn.Sequential` "
        "containers seem to share names; use `named_parameters(recurse=False)` (or "
        "`_parameters`), so that containers, which hold none directly, raise `ValueError` "
        "(and do raise when nothing is common).",
        "zh": "`tie_weights` 只应看每个模块自身的参数：`named_parameters()` 会递归进入子模块"
        "（`0.weight`），使两个 `nn.Sequential` 容器看起来有共同的名字；请用 "
        "`named_parameters(recurse=False)`（或 `_parameters`），这样自身不直接持有参数的容器"
        "会引发 `ValueError`（没有共同名字时也务必报错）。",
    },
}
