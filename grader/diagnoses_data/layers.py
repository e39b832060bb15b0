"""Exercise 5 (custom layers): what each check checks, and the mistakes whose
signatures its verdicts recognise (grader/diagnoses.py)."""

CHECKS: dict[str, dict[str, str]] = {
    "test_centered_subtracts_the_mean_of_all_entries": {
        "en": "CenteredLayer(X) is X minus the mean of all X's entries, with X's shape and dtype.",
        "zh": "CenteredLayer(X) 等于 X 减去 X 所有元素的均值，形状和数据类型与 X 相同。",
    },
    "test_centered_leaves_its_input_unchanged": {
        "en": "CenteredLayer leaves the tensor it is given unchanged.",
        "zh": "CenteredLayer 不改变传给它的张量。",
    },
    "test_centered_has_no_parameters": {
        "en": "CenteredLayer has no parameters and an empty state dict.",
        "zh": "CenteredLayer 没有参数，状态字典为空。",
    },
    "test_centered_gradient_flows_through_the_mean": {
        "en": "The gradient of CenteredLayer's output entry k reaches every input entry, "
        "through the mean: 1 - 1/n at k, -1/n elsewhere.",
        "zh": "CenteredLayer 第 k 个输出对输入的梯度经过均值到达每个输入元素：在 k 处为 "
        "1 - 1/n，其余为 -1/n。",
    },
    "test_centered_gradcheck": {
        "en": "CenteredLayer's gradient (autograd's) matches its numerical gradient.",
        "zh": "CenteredLayer 的梯度（自动微分算出的）与数值梯度一致。",
    },
    "test_centered_inside_a_network": {
        "en": "After nn.Linear(8, 128) in an nn.Sequential, CenteredLayer gives a (4, 128) "
        "output of mean 0.",
        "zh": "在 nn.Sequential 中放在 nn.Linear(8, 128) 之后，CenteredLayer 输出形状为 "
        "(4, 128)、均值为 0 的张量。",
    },
    "test_mylinear_registers_weight_and_bias": {
        "en": "MyLinear(in_units, units) has exactly two trainable parameters: weight of "
        "shape (in_units, units) and bias of shape (units,).",
        "zh": "MyLinear(in_units, units) 恰有两个可训练参数：形状为 (in_units, units) 的 "
        "weight 和形状为 (units,) 的 bias。",
    },
    "test_mylinear_is_affine": {
        "en": "MyLinear's output is X @ weight + bias, of shape (..., units), for inputs with "
        "any number of leading dimensions and any float dtype.",
        "zh": "MyLinear 的输出等于 X @ weight + bias，形状为 (..., units)；输入可以有任意多个"
        "前导维度，可以是任意浮点类型。",
    },
    "test_mylinear_has_no_activation": {
        "en": "MyLinear is purely affine: negative outputs stay negative.",
        "zh": "MyLinear 是纯仿射的：负的输出保持为负。",
    },
    "test_mylinear_gradcheck": {
        "en": "MyLinear's gradients with respect to X, weight and bias are those of "
        "X @ weight + bias.",
        "zh": "MyLinear 对 X、weight、bias 的梯度与 X @ weight + bias 的梯度相同。",
    },
    "test_mylinear_gradients_reach_weight_and_bias": {
        "en": "Backward from MyLinear's output reaches weight and bias, with the right values.",
        "zh": "从 MyLinear 的输出反向传播，梯度到达 weight 和 bias，且数值正确。",
    },
    "test_mylinear_initialised_from_standard_normal": {
        "en": "A new MyLinear's weight and bias are drawn from N(0, 1).",
        "zh": "新建的 MyLinear 的 weight 和 bias 从 N(0, 1) 中采样。",
    },
    "test_mylinear_moves_with_to_device": {
        "en": "layer.to('meta') moves MyLinear's weight and bias, and its output follows.",
        "zh": "layer.to('meta') 会移动 MyLinear 的 weight 和 bias，输出也随之在 meta 上。",
    },
    "test_mylinear_builds_a_network": {
        "en": "Two MyLinear layers in an nn.Sequential compute a (2, 1) output, with state "
        "dict keys 0.weight, 0.bias, 2.weight and 2.bias.",
        "zh": "两个 MyLinear 放进 nn.Sequential 能算出 (2, 1) 的输出，状态字典的键为 "
        "0.weight、0.bias、2.weight、2.bias。",
    },
}

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ CenteredLayer
    "mean_along_one_axis": {
        "en": "CenteredLayer subtracted a mean along one axis (`X.mean(dim=0)` or "
        "`X.mean(dim=1, keepdim=True)`). Subtract one number, the mean of all entries: "
        "`X.mean()` with no `dim`.",
        "zh": "CenteredLayer 减去的是沿某一个轴的均值（`X.mean(dim=0)` 或 "
        "`X.mean(dim=1, keepdim=True)`）。请减去一个数：所有元素的均值，即不带 `dim` 的 "
        "`X.mean()`。",
    },
    "in_place": {
        "en": "CenteredLayer changed its input in place: after the call, X holds X - X.mean(). "
        "`X -= ...` or `X.sub_(...)` overwrite the caller's tensor. Return `X - X.mean()`, "
        "a new tensor.",
        "zh": "CenteredLayer 原地修改了输入：调用之后 X 变成了 X - X.mean()。`X -= ...` 或 "
        "`X.sub_(...)` 会覆盖调用者的张量。请返回新张量 `X - X.mean()`。",
    },
    "registers_a_tensor": {
        "en": "CenteredLayer registers a parameter or a buffer it was not asked for (a "
        "learnable offset, say). Remove it: the layer only subtracts the mean.",
        "zh": "CenteredLayer 注册了没有要求的参数或缓冲区（例如一个可学习的偏移量）。"
        "请删掉它：这个层只减去均值。",
    },
    "mean_cut_from_autograd": {
        "en": "The gradient ignores the mean: each input's gradient misses its -1/n term. The "
        "mean was cut off from autograd (`.detach()`, `.item()`, `float(...)` or `.data`). "
        "Subtract the tensor `X.mean()` itself.",
        "zh": "梯度忽略了均值：每个输入的梯度都少了 -1/n 这一项。均值与自动微分断开了"
        "（`.detach()`、`.item()`、`float(...)` 或 `.data`）。请直接减去张量 `X.mean()`。",
    },
    # ------------------------------------------------------------ MyLinear
    "not_parameters": {
        "en": "MyLinear registers no parameters: weight and bias are plain tensors (even with "
        "requires_grad=True), so `parameters()`, `state_dict()` and `.to()` do not see them. "
        "Wrap each in `nn.Parameter`.",
        "zh": "MyLinear 没有注册任何参数：weight 和 bias 是普通张量（即使 requires_grad=True），"
        "`parameters()`、`state_dict()` 和 `.to()` 都看不到它们。请用 `nn.Parameter` 包装。",
    },
    "weight_transposed": {
        "en": "MyLinear's weight has shape (units, in_units), nn.Linear's layout. This "
        "contract, like the book's MyLinear, asks for (in_units, units) and `X @ weight`.",
        "zh": "MyLinear 的 weight 形状为 (units, in_units)，这是 nn.Linear 的布局。本约定和书中"
        "的 MyLinear 一样，要求 (in_units, units) 并计算 `X @ weight`。",
    },
    "bias_a_row": {
        "en": "MyLinear's bias has shape (1, units): it broadcasts, but a 1-d input then "
        "gives a (1, units) output. Create it with shape (units,).",
        "zh": "MyLinear 的 bias 形状为 (1, units)：虽然能广播，但一维输入会得到 (1, units) 的"
        "输出。请用形状 (units,) 创建它。",
    },
    "frozen_parameters": {
        "en": "MyLinear's parameters have requires_grad=False: training can never change "
        "them. Leave requires_grad at nn.Parameter's default.",
        "zh": "MyLinear 的参数 requires_grad=False：训练永远无法改变它们。请让 requires_grad "
        "保持 nn.Parameter 的默认值。",
    },
    "relu_inside": {
        "en": "MyLinear's output is relu(X @ weight + bias): the book's version ends with "
        "`F.relu`, but this contract asks for a purely affine layer. Drop the ReLU; put an "
        "`nn.ReLU()` after the layer where a network needs one.",
        "zh": "MyLinear 的输出是 relu(X @ weight + bias)：书中的版本最后有 `F.relu`，但本约定"
        "要求纯仿射的层。请去掉 ReLU；网络需要时在该层之后放一个 `nn.ReLU()`。",
    },
    "mm_two_dims_only": {
        "en": "MyLinear failed on an input with more than two dimensions: `torch.mm` takes "
        "matrices only. Use `X @ self.weight` (or `torch.matmul`), which keeps leading "
        "batch dimensions.",
        "zh": "MyLinear 在多于二维的输入上出错：`torch.mm` 只接受矩阵。请用 "
        "`X @ self.weight`（或 `torch.matmul`），它会保留前导的批量维度。",
    },
    "parameters_bypassed": {
        "en": "No gradient reached weight or bias, though both require one: forward computes "
        "with something other than the parameters themselves (`self.weight.data`, "
        "`.detach()`, a copy). Use `self.weight` and `self.bias` in forward.",
        "zh": "梯度没有到达 weight 和 bias，尽管二者都需要梯度：forward 用来计算的不是参数本身"
        "（`self.weight.data`、`.detach()` 或副本）。请在 forward 中直接使用 `self.weight` "
        "和 `self.bias`。",
    },
    "zero_init": {
        "en": "MyLinear starts with all zeros. Draw weight and bias with `torch.randn`.",
        "zh": "MyLinear 的初始值全为零。请用 `torch.randn` 采样 weight 和 bias。",
    },
    "uniform_init": {
        "en": "MyLinear's initial values all lie in [0, 1): `torch.rand` draws from U[0, 1). "
        "Use `torch.randn`, which draws from N(0, 1).",
        "zh": "MyLinear 的初始值全在 [0, 1) 之间：`torch.rand` 从 U[0, 1) 采样。请用从 "
        "N(0, 1) 采样的 `torch.randn`。",
    },
    "scaled_init": {
        "en": "MyLinear's initial values are centred but far narrower than N(0, 1): the draw "
        "was scaled (`torch.randn(...) * 0.01`). Leave it unscaled.",
        "zh": "MyLinear 的初始值以 0 为中心，但比 N(0, 1) 窄得多：采样结果被缩放了"
        "（`torch.randn(...) * 0.01`）。请不要缩放。",
    },
}
