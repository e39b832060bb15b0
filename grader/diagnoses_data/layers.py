"""Diagnoses for exercise 5 (custom layers): test function -> {"en", "zh"}."""

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ CenteredLayer
    "test_centered_subtracts_the_mean_of_all_entries": {
        "en": "CenteredLayer must subtract one number, the mean of ALL entries: "
        "`X.mean(dim=0)` (per column) or `X.mean(dim=-1, keepdim=True)` (per row) centres "
        "along one axis only. Call `X.mean()` with no `dim`, and return a tensor of X's "
        "shape and dtype.",
        "zh": "CenteredLayer 应减去一个数：所有元素的均值。`X.mean(dim=0)`（按列）或 "
        "`X.mean(dim=-1, keepdim=True)`（按行）只沿一个轴中心化；请调用不带 `dim` 的 "
        "`X.mean()`，并返回与 X 形状、数据类型都相同的张量。",
    },
    "test_centered_leaves_its_input_unchanged": {
        "en": "CenteredLayer changed its input in place: `X -= X.mean()` (or `X.sub_(...)`) "
        "overwrites the caller's tensor. Build a new tensor from X with the out-of-place "
        "`-` (not `-=`) and return that.",
        "zh": "CenteredLayer 原地修改了输入：`X -= X.mean()`（或 `X.sub_(...)`）会覆盖调用者"
        "的张量。请用非原地的 `-`（不是 `-=`）由 X 算出一个新张量并返回。",
    },
    "test_centered_has_no_parameters": {
        "en": "CenteredLayer must be a layer without parameters, but it registers something "
        "(e.g. a learnable `offset` as `nn.Parameter`, or a buffer) that shows up in "
        "`parameters()` or `state_dict()`. Remove it: subclass `nn.Module` and write "
        "`forward`, nothing more.",
        "zh": "CenteredLayer 应是不带参数的层，它却注册了东西（例如一个可学习的 `offset` "
        "`nn.Parameter`，或一个缓冲区），出现在 `parameters()` 或 `state_dict()` 里。"
        "请删掉它：继承 `nn.Module` 并写好 `forward` 就够了。",
    },
    "test_centered_gradient_flows_through_the_mean": {
        "en": "No gradient flows through CenteredLayer's mean: `X.mean().detach()`, "
        "`X.mean().item()` or `float(X.mean())` make the mean a constant for autograd, so "
        "every input's gradient misses its -1/n term. Subtract the tensor `X.mean()` itself.",
        "zh": "梯度没有流经 CenteredLayer 中的均值：`X.mean().detach()`、`X.mean().item()` 或 "
        "`float(X.mean())` 让均值在自动微分看来成了常数，每个输入的梯度都少了 -1/n 这一项。"
        "请直接减去张量 `X.mean()` 本身。",
    },
    "test_centered_gradcheck": {
        "en": "`torch.autograd.gradcheck` finds CenteredLayer's gradient wrong: the mean was "
        "cut off from autograd (`.detach()`, `.item()`, `float(...)`, `.data`, or computed "
        "under `torch.no_grad()`). Build the output from X with ordinary tensor operations, "
        "subtracting the tensor `X.mean()`.",
        "zh": "`torch.autograd.gradcheck` 发现 CenteredLayer 的梯度不对：均值与自动微分断开了"
        "（`.detach()`、`.item()`、`float(...)`、`.data`，或在 `torch.no_grad()` 下计算）。"
        "请用普通的张量运算由 X 算出输出，减去张量 `X.mean()`。",
    },
    "test_centered_inside_a_network": {
        "en": "CenteredLayer after `nn.Linear(8, 128)` in an `nn.Sequential` should give a "
        "(4, 128) output of mean 0: forward must take a batch that requires grad (no NumPy "
        "round trip: `.numpy()` fails on it), keep X's shape (no reducing, squeezing or "
        "reshaping) and subtract the mean of all entries.",
        "zh": "在 `nn.Sequential` 中放在 `nn.Linear(8, 128)` 之后，CenteredLayer 应输出形状为 "
        "(4, 128)、均值为 0 的张量：forward 要能处理需要梯度的批量（不要绕道 NumPy："
        "`.numpy()` 对它会报错），保持 X 的形状（不要归约、squeeze 或 reshape），"
        "并减去所有元素的均值。",
    },
    # ------------------------------------------------------------ MyLinear
    "test_mylinear_registers_weight_and_bias": {
        "en": "MyLinear's parameters must be exactly `weight` (in_units, units) and `bias` "
        "(units,), trainable: wrap each in `nn.Parameter` (a plain tensor, even with "
        "requires_grad=True, is not registered), name them `weight` and `bias` (not W/b), "
        "don't leave out the bias or make it (1, units), don't store the weight transposed "
        "as nn.Linear does, and keep requires_grad at its default.",
        "zh": "MyLinear 的参数应恰好是形状为 (in_units, units) 的 `weight` 和形状为 (units,) "
        "的 `bias`，且可训练：每个都要用 `nn.Parameter` 包装（普通张量即使 "
        "requires_grad=True 也不会被注册），命名为 `weight` 和 `bias`（不是 W/b），不要省略"
        "偏置，也不要把它做成 (1, units)，不要像 nn.Linear 那样转置存放权重，"
        "requires_grad 保持默认值。",
    },
    "test_mylinear_is_affine": {
        "en": "MyLinear's output is not `X @ weight + bias` of shape (…, units): `torch.mm` "
        "takes 2-d inputs only (use `@` or `torch.matmul`, which keep any leading batch "
        "dimensions); a ReLU inside changes the negative outputs; a missing bias or a "
        "transposed weight gives other numbers. Compute the matrix product with `weight`, "
        "plus `bias`, nothing else.",
        "zh": "MyLinear 的输出不是形状为 (…, units) 的 `X @ weight + bias`：`torch.mm` 只接受"
        "二维输入（请用 `@` 或 `torch.matmul`，它们保留任意多个前导批量维度）；内部加了 "
        "ReLU 会改变负的输出；缺了偏置或转置了权重，结果也不同。请只计算与 `weight` 的"
        "矩阵乘积再加上 `bias`。",
    },
    "test_mylinear_has_no_activation": {
        "en": "MyLinear applies an activation: the book's version ends with `F.relu`, but this "
        "contract asks for a purely affine layer. Drop the ReLU from forward; put an "
        "`nn.ReLU()` after the layer in the network where you want one.",
        "zh": "MyLinear 用了激活函数：书中的版本最后有 `F.relu`，但这里的约定要求纯仿射的层。"
        "请把 ReLU 从 forward 中去掉；需要时在网络里该层之后放一个 `nn.ReLU()`。",
    },
    "test_mylinear_gradcheck": {
        "en": "MyLinear's gradients with respect to X, weight and bias are wrong or missing: "
        "forward probably uses `self.weight.data` or `.detach()` (cut off from autograd), "
        "keeps the weight transposed as (units, in_units), or computes with tensors other "
        "than its `weight` and `bias` attributes. Use `self.weight` and `self.bias` "
        "themselves in forward, the weight of shape (in_units, units).",
        "zh": "MyLinear 对 X、weight、bias 的梯度错误或缺失：forward 里大概用了 "
        "`self.weight.data` 或 `.detach()`（与自动微分断开），或把权重转置存成 "
        "(units, in_units)，或用来计算的不是 `weight`、`bias` 这两个属性本身。请在 forward "
        "中直接使用 `self.weight` 和 `self.bias`，权重形状为 (in_units, units)。",
    },
    "test_mylinear_gradients_reach_weight_and_bias": {
        "en": "MyLinear.weight or .bias receives no gradient: forward probably uses "
        "`.data` (a detached view) or the parameters were created with "
        "requires_grad=False; use the parameters themselves (not `.data`, not copies) in the "
        "matrix product and the sum.",
        "zh": "MyLinear 的 weight 或 bias 没有得到梯度：forward 里大概用了 `.data`"
        "（与计算图分离的视图），或参数创建时设了 requires_grad=False；"
        "请在矩阵乘法和加法中直接使用参数本身（不要用 `.data`，也不要用副本）。",
    },
    "test_mylinear_initialised_from_standard_normal": {
        "en": "MyLinear's initial weight or bias is not drawn from N(0, 1): zeros "
        "(`torch.zeros`), a uniform draw (`torch.rand`, U[0, 1)), a scaled draw "
        "(`torch.randn(...) * 0.01`) or nn.Linear's own initialisation all fail. Create both "
        "with `torch.randn` of the right shape, unscaled.",
        "zh": "MyLinear 的初始权重或偏置不是从 N(0, 1) 中采样的：全零（`torch.zeros`）、"
        "均匀分布（`torch.rand`，U[0, 1)）、缩放过的（`torch.randn(...) * 0.01`）或 "
        "nn.Linear 自己的初始化都不行。请用形状正确的 `torch.randn` 创建两者，不要缩放。",
    },
    "test_mylinear_moves_with_to_device": {
        "en": "`layer.to('meta')` did not move MyLinear's weight and bias: they are plain "
        "tensor attributes, which `.to()` ignores. Wrap them in `nn.Parameter` so that the "
        "module registers (and moves) them, and create no tensor on a fixed device in "
        "forward.",
        "zh": "`layer.to('meta')` 没有移动 MyLinear 的 weight 和 bias：它们是普通的张量属性，"
        "`.to()` 会忽略它们。请用 `nn.Parameter` 包装，让模块注册（并随之移动）它们；"
        "forward 里也不要在固定的设备上新建张量。",
    },
    "test_mylinear_builds_a_network": {
        "en": "Two MyLinear layers in an `nn.Sequential` should give a (2, 1) output and the "
        "state dict keys `0.weight`, `0.bias`, `2.weight`, `2.bias`: register exactly two "
        "`nn.Parameter`s named `weight` and `bias`, the weight of shape (in_units, units) "
        "(other names, a missing bias, plain tensors or extra registered tensors change the "
        "keys).",
        "zh": "把两个 MyLinear 放进 `nn.Sequential`，输出应为 (2, 1)，状态字典的键应为 "
        "`0.weight`、`0.bias`、`2.weight`、`2.bias`：请恰好注册两个名为 `weight` 和 `bias` "
        "的 `nn.Parameter`，权重形状为 (in_units, units)（换了名字、缺了偏置、用普通张量"
        "或多注册了张量，键都会变）。",
    },
}
