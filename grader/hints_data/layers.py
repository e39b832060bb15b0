"""Progressive hints for exercise 5 (custom layers): contract name ->
{"en": [...], "zh": [...]}."""

HINTS: dict[str, dict[str, list[str]]] = {
    "CenteredLayer": {
        "en": [
            "Read d2l “Custom Layers”, layers without parameters (不带参数的层): a layer is any "
            "subclass of `nn.Module`, and one without parameters needs nothing but `forward`.",
            "“The mean of all entries” is a single number for the whole tensor, whatever its "
            "shape: `Tensor.mean` called without a `dim` argument gives it as a 0-d tensor, "
            "and broadcasting subtracts it from every entry.",
            "Keep the mean inside the autograd graph: no `.detach()`, `.item()` or `float(...)` "
            "on it, so that the gradient of each output also flows back through the mean "
            "(that is the -1/n in every input's gradient).",
            "forward is one out-of-place subtraction, the input minus its mean, returned as a "
            "new tensor: never `-=` or `sub_`, which would overwrite the caller's X. No "
            "`__init__` is needed, since there is nothing to register.",
        ],
        "zh": [
            "阅读 d2l「自定义层」中的不带参数的层：层就是 `nn.Module` 的任意子类，不带参数的层"
            "只需要写 `forward`。",
            "“所有元素的均值”是整个张量的一个数，与形状无关：不带 `dim` 参数调用 `Tensor.mean` "
            "就得到这个 0 维张量，广播机制会把它从每个元素中减去。",
            "让均值留在自动微分的计算图里：不要对它 `.detach()`、`.item()` 或 `float(...)`，"
            "这样每个输出的梯度也会经由均值传回去（也就是每个输入梯度里的 -1/n）。",
            "forward 就是一次非原地的减法：输入减去它的均值，作为新张量返回；绝不要用 `-=` 或 "
            "`sub_`，它们会覆盖调用者的 X。不需要写 `__init__`，因为没有要注册的东西。",
        ],
    },
    "MyLinear": {
        "en": [
            "Read d2l “Custom Layers”, layers with parameters (带参数的层): the book's "
            "`MyLinear` keeps a weight and a bias as `nn.Parameter` and computes a fully "
            "connected layer by hand.",
            "In `__init__`, call `super().__init__()` first, then assign each tensor wrapped in "
            "`nn.Parameter` to an attribute: that registers it, so that `parameters()`, "
            "`state_dict()`, optimisers and `.to()` find it. The names are exactly `weight` "
            "and `bias`.",
            "Shapes and initialisation: weight (in_units, units) and bias (units,), a 1-d "
            "bias, not (1, units); both drawn from N(0, 1) with `torch.randn`, unscaled "
            "(no zeros, no `torch.rand`, no * 0.01).",
            "forward is the matrix product of X with the weight, plus the bias: use `@` or "
            "`torch.matmul` (not `torch.mm`, 2-d only) so that any leading batch dimensions "
            "work; use the parameters themselves (no `.data`), and add no ReLU.",
        ],
        "zh": [
            "阅读 d2l「自定义层」中的带参数的层：书中的 `MyLinear` 把权重和偏置保存为 "
            "`nn.Parameter`，亲手实现一个全连接层。",
            "在 `__init__` 中先调用 `super().__init__()`，再把每个用 `nn.Parameter` 包装的张量"
            "赋给一个属性：这样就注册了它，`parameters()`、`state_dict()`、优化器和 `.to()` "
            "都能找到它。名字必须恰好是 `weight` 和 `bias`。",
            "形状与初始化：weight 为 (in_units, units)，bias 为 (units,)，是一维的偏置，而不是 "
            "(1, units)；两者都用 `torch.randn` 从 N(0, 1) 中采样，不要缩放（不要全零、不要 "
            "`torch.rand`、不要乘 0.01）。",
            "forward 是 X 与权重的矩阵乘积再加上偏置：用 `@` 或 `torch.matmul`（不要用只支持"
            "二维的 `torch.mm`），这样任意多个前导批量维度都能处理；直接使用参数本身（不要 "
            "`.data`），也不要加 ReLU。",
        ],
    },
}
