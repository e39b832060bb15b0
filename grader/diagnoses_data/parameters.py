"""Diagnoses for exercise 2 (parameter management).

``CHECKS``: test function -> the property it checks. ``DIAGNOSES``: signature name ->
the mistake its data showed, and the fix (grader/diagnoses.py).
"""

CHECKS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ count_parameters
    "test_count_parameters_of_small_nets": {
        "en": "count_parameters returns, as a Python int, the number of parameter entries of "
        "a small net: 40 for nn.Linear(4, 8), 48 for a small MLP, 0 for nn.ReLU().",
        "zh": "`count_parameters` 以 Python `int` 返回小网络的参数元素个数：nn.Linear(4, 8) "
        "为 40，一个小 MLP 为 48，nn.ReLU() 为 0。",
    },
    "test_count_parameters_of_drawn_nets": {
        "en": "On random nets (shared layers, tied weights, BatchNorm, frozen layers), "
        "count_parameters counts every parameter entry once, and with trainable_only=True "
        "only the trainable ones.",
        "zh": "在随机网络上（含共享层、绑定权重、BatchNorm、冻结层），`count_parameters` 把每个"
        "参数元素只数一次；`trainable_only=True` 时只数可训练的元素。",
    },
    "test_count_parameters_counts_a_shared_layer_once": {
        "en": "A layer used at two positions of a net counts once.",
        "zh": "在网络中两个位置使用的同一层只算一次。",
    },
    "test_count_parameters_counts_a_tied_weight_once": {
        "en": "A weight tied into two layers (one Parameter object) counts once.",
        "zh": "绑定到两个层的同一个权重（同一个 Parameter 对象）只算一次。",
    },
    "test_count_parameters_never_counts_buffers": {
        "en": "BatchNorm's buffers (running_mean, running_var, num_batches_tracked) are not "
        "counted: only parameters are.",
        "zh": "不计入 BatchNorm 的缓冲区（running_mean、running_var、num_batches_tracked）："
        "只数参数。",
    },
    "test_count_parameters_trainable_only": {
        "en": "count_parameters(net, trainable_only=True), by keyword or as the second "
        "argument, skips the parameters with requires_grad=False.",
        "zh": "`count_parameters(net, trainable_only=True)`（以关键字或第二个位置参数传入）"
        "会跳过 requires_grad=False 的参数。",
    },
    # ------------------------------------------------------------ block1, block2, rgnet
    "test_block1_structure": {
        "en": "block1() is an nn.Sequential of Linear(4, 8), ReLU, Linear(8, 4), ReLU, both "
        "Linear layers with a bias.",
        "zh": "`block1()` 是由 Linear(4, 8)、ReLU、Linear(8, 4)、ReLU 组成的 `nn.Sequential`，"
        "两个 Linear 层都带偏置。",
    },
    "test_block2_names_its_blocks": {
        "en": "block2(n) is an nn.Sequential of n distinct block1s named block0, block1, ….",
        "zh": "`block2(n)` 是由 n 个互不相同的 `block1` 组成的 `nn.Sequential`，依次名为 "
        "block0、block1、…。",
    },
    "test_block2_has_four_blocks_by_default": {
        "en": "block2() without arguments holds four blocks, block0 … block3.",
        "zh": "不带参数的 `block2()` 含四个块：block0 … block3。",
    },
    "test_rgnet_parameter_names": {
        "en": "rgnet's parameters are named 0.block0.0.weight … 1.bias, with the right shapes "
        "and no buffers, and net[0][1][0].bias reaches the same Parameter.",
        "zh": "`rgnet` 的参数名为 0.block0.0.weight … 1.bias，形状正确、没有缓冲区，且 "
        "net[0][1][0].bias 取到的是同一个参数。",
    },
    "test_forward_shapes": {
        "en": "block1 and block2 map (…, 4) to (…, 4) and rgnet maps it to (…, 1), in float32 "
        "and float64.",
        "zh": "`block1` 和 `block2` 把 (…, 4) 映射为 (…, 4)，`rgnet` 映射为 (…, 1)，"
        "float32 和 float64 都如此。",
    },
    # ------------------------------------------------------------ initialisers
    "test_initialiser_changes_values_in_place": {
        "en": "After net.apply(initialiser), every parameter is the same leaf Parameter, with "
        "requires_grad on, in the same storage and dtype, and gradients still reach it.",
        "zh": "`net.apply(初始化函数)` 之后，每个参数仍是原来那个叶子 Parameter，requires_grad "
        "仍开启，存储和 dtype 不变，梯度也仍能到达。",
    },
    "test_initialiser_acts_on_linear_only": {
        "en": "The initialiser changes the nn.Linear and leaves every other module (Conv, "
        "BatchNorm, LayerNorm, LSTM, a custom layer) untouched.",
        "zh": "初始化函数会改动 `nn.Linear`，其他模块（卷积、BatchNorm、LayerNorm、LSTM、"
        "自定义层）一律不动。",
    },
    "test_init_normal_statistics": {
        "en": "init_normal draws the weights from N(0, 0.01²) (std 0.01) and sets the bias to 0.",
        "zh": "`init_normal` 从 N(0, 0.01²)（标准差 0.01）抽取权重，并把偏置置零。",
    },
    "test_init_constant_values": {
        "en": "init_constant sets every weight entry to 1 and every bias entry to 0.",
        "zh": "`init_constant` 把权重全部设为 1，偏置全部设为 0。",
    },
    "test_init_xavier_statistics": {
        "en": "init_xavier draws the weights from Xavier's uniform U(-a, a), a = sqrt(6 / "
        "(fan_in + fan_out)), and leaves the bias unchanged.",
        "zh": "`init_xavier` 从 Xavier 均匀分布 U(-a, a)（a = sqrt(6 / (fan_in + fan_out))）"
        "抽取权重，偏置保持不变。",
    },
    "test_init_42_values": {
        "en": "init_42 sets every weight entry to 42 and leaves the bias unchanged.",
        "zh": "`init_42` 把权重全部设为 42，偏置保持不变。",
    },
    "test_my_init_statistics": {
        "en": "my_init draws the weights from U(-10, 10), zeroes those with |w| < 5, and "
        "leaves the bias unchanged.",
        "zh": "`my_init` 从 U(-10, 10) 抽取权重，把 |w| < 5 的元素置零，偏置保持不变。",
    },
}

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ count_parameters
    "counts_tensors": {
        "en": "The count is the number of parameter tensors, not of their entries (as "
        "`len(list(net.parameters()))` gives). Add up `p.numel()` over `net.parameters()`.",
        "zh": "数出的是参数张量的个数，而不是其中元素的个数（就像 "
        "`len(list(net.parameters()))` 那样）。请对 `net.parameters()` 的 `p.numel()` 求和。",
    },
    "counts_state_dict": {
        "en": "The count is that of `state_dict()`: it holds the buffers too, and a shared "
        "tensor under each of its names. Count over `net.parameters()`, which yields each "
        "Parameter once and no buffers.",
        "zh": "数的是 `state_dict()` 的元素：它也包含缓冲区，且共享的张量在它的每个名字下各出现"
        "一次。请在 `net.parameters()` 上计数，它每个参数只给一次，且不含缓冲区。",
    },
    "counts_buffers": {
        "en": "The count includes the buffers (BatchNorm's running_mean, running_var, "
        "num_batches_tracked). Buffers are not parameters: count over `net.parameters()` only.",
        "zh": "计数包含了缓冲区（BatchNorm 的 running_mean、running_var、num_batches_tracked）。"
        "缓冲区不是参数：请只在 `net.parameters()` 上计数。",
    },
    "counted_twice": {
        "en": "A Parameter held in two places (a shared layer, a tied weight) was counted at "
        "each place. `named_parameters(remove_duplicate=False)` and a sum over `modules()` "
        "meet it twice; `net.parameters()` yields it once.",
        "zh": "在两处被持有的同一个参数（共享层、绑定权重）在每一处各算了一次。"
        "`named_parameters(remove_duplicate=False)` 和对 `modules()` 逐个求和都会遇到它两次；"
        "`net.parameters()` 只给它一次。",
    },
    "ignores_trainable_only": {
        "en": "With trainable_only=True the count still includes the frozen parameters: the "
        "flag is ignored. When it is true, skip each `p` whose `p.requires_grad` is False.",
        "zh": "`trainable_only=True` 时计数仍包含冻结的参数：这个参数被忽略了。它为真时，"
        "请跳过 `p.requires_grad` 为 False 的参数 `p`。",
    },
    # ------------------------------------------------------------ block1, block2, rgnet
    "block1_no_final_relu": {
        "en": "block1 ends with the second Linear: its final `nn.ReLU()` is missing. Add it.",
        "zh": "`block1` 以第二个 Linear 结尾：漏了最后的 `nn.ReLU()`。请加上它。",
    },
    "space_in_block_names": {
        "en": "The blocks are named 'block 0', 'block 1', …, with a space, as in the book. "
        "This exercise asks for f'block{i}', without a space.",
        "zh": "块的名字是 'block 0'、'block 1'、…，像书中那样带空格。本练习要求不带空格的 "
        "f'block{i}'。",
    },
    "numbered_blocks": {
        "en": "The blocks are named 0, 1, …, as `nn.Sequential(*blocks)` names them. Start "
        "from `nn.Sequential()` and register each with `add_module(f'block{i}', ...)`.",
        "zh": "块的名字是 0、1、…，这是 `nn.Sequential(*blocks)` 给的名字。请从 "
        "`nn.Sequential()` 开始，用 `add_module(f'block{i}', ...)` 逐个注册。",
    },
    "one_shared_block": {
        "en": "Every name of block2 holds one and the same block: `block1()` was called once, "
        "before the loop. Call `block1()` anew for each block.",
        "zh": "`block2` 的每个名字下都是同一个块：`block1()` 只在循环前调用了一次。"
        "请为每个块重新调用 `block1()`。",
    },
    "rgnet_no_final_linear": {
        "en": "rgnet ends with block2: the final `nn.Linear(4, 1)` is missing, so the output "
        "has 4 features, not 1. Add it after `block2()`.",
        "zh": "`rgnet` 以 `block2` 结尾：漏了最后的 `nn.Linear(4, 1)`，所以输出有 4 个特征"
        "而不是 1 个。请在 `block2()` 之后加上它。",
    },
    # ------------------------------------------------------------ initialisers: in place
    "replaced_parameter": {
        "en": "The initialiser put a new nn.Parameter in place of the old one. An optimiser "
        "made before would keep training the old one. Change the values in place: "
        "`nn.init.*_`.",
        "zh": "初始化函数用一个新的 nn.Parameter 替换了原来的参数。之前创建的优化器会继续训练"
        "旧的参数。请原地修改数值：`nn.init.*_`。",
    },
    "non_leaf_weight": {
        "en": "The weight is now the result of a computation autograd recorded (e.g. "
        "`m.weight * mask`), not a leaf Parameter. Multiply in place, inside "
        "`with torch.no_grad():`.",
        "zh": "权重现在是自动求导记录下的一个计算结果（例如 `m.weight * mask`），而不是叶子 "
        "Parameter。请在 `with torch.no_grad():` 中原地相乘。",
    },
    "requires_grad_off": {
        "en": "The weight is left with requires_grad=False, so training can never change it. "
        "Change it under `with torch.no_grad():` instead of switching requires_grad off.",
        "zh": "权重最后的 requires_grad=False，训练永远无法改变它。请在 "
        "`with torch.no_grad():` 中修改它，而不要关掉 requires_grad。",
    },
    "new_data_tensor": {
        "en": "The parameter's values now live in a new tensor: `.data` was assigned one "
        "(a float32 tensor from `torch.randn`, say). Write into the existing tensor with "
        "`nn.init.*_`.",
        "zh": "参数的数值现在存放在一个新张量里：给 `.data` 赋了新张量（例如 `torch.randn` "
        "生成的 float32 张量）。请用 `nn.init.*_` 写入原有的张量。",
    },
    "not_only_linear": {
        "en": "The initialiser changed a module that is not an nn.Linear. `net.apply` calls it "
        "on every module: act only when `isinstance(m, nn.Linear)`, not on any module with "
        "a weight.",
        "zh": "初始化函数改动了不是 `nn.Linear` 的模块。`net.apply` 会对每个模块调用它：只在 "
        "`isinstance(m, nn.Linear)` 时才动手，而不是对任何带权重的模块。",
    },
    # ------------------------------------------------------------ initialisers: values
    "std_vs_variance": {
        "en": "The weights' std is 0.1 or 0.0001, not 0.01: the variance and the std were "
        "mixed up. `nn.init.normal_` takes the std: `std=0.01`.",
        "zh": "权重的标准差是 0.1 或 0.0001，而不是 0.01：把方差和标准差弄混了。"
        "`nn.init.normal_` 接受的是标准差：`std=0.01`。",
    },
    "uniform_not_normal": {
        "en": "The weights have the right std but no tails: none lies beyond 1.8 std, so "
        "they come from a uniform. Draw from a normal with `nn.init.normal_`.",
        "zh": "权重的标准差正确但没有尾部：没有一个超出 1.8 倍标准差，所以它们来自均匀分布。"
        "请用 `nn.init.normal_` 从正态分布抽取。",
    },
    "bias_not_zeroed": {
        "en": "init_normal left the bias as nn.Linear made it. Set it to zero with "
        "`nn.init.zeros_`.",
        "zh": "`init_normal` 没有改动 nn.Linear 创建的偏置。请用 `nn.init.zeros_` 把它置零。",
    },
    "xavier_normal": {
        "en": "The weights have Xavier's variance but lie beyond ±a: they are normal "
        "(`xavier_normal_`). Use `nn.init.xavier_uniform_`.",
        "zh": "权重的方差符合 Xavier，但有值超出 ±a：它们来自正态分布（`xavier_normal_`）。"
        "请用 `nn.init.xavier_uniform_`。",
    },
    "xavier_fan_in_only": {
        "en": "The weights are uniform on ±sqrt(6 / fan_in): fan_out is left out of Glorot's "
        "formula. Use `nn.init.xavier_uniform_`.",
        "zh": "权重在 ±sqrt(6 / fan_in) 上均匀分布：Glorot 公式中漏了 fan_out。"
        "请用 `nn.init.xavier_uniform_`。",
    },
    "bias_overwritten": {
        "en": "The bias was set to a constant (42, or zeros) too. This initialiser sets the "
        "weight only: leave `m.bias` as it was.",
        "zh": "偏置也被设成了常数（42 或 0）。这个初始化函数只设置权重：`m.bias` 保持原样。",
    },
    "my_init_no_zeroing": {
        "en": "No weight is zero: the entries with |w| < 5 were not zeroed. Multiply the "
        "weight in place by the mask `abs() >= 5`, under `torch.no_grad()`.",
        "zh": "没有一个权重为零：|w| < 5 的元素没有被置零。请在 `torch.no_grad()` 下把权重"
        "原地乘以掩码 `abs() >= 5`。",
    },
    "my_init_zeroes_large": {
        "en": "About half the weights are zero, but every one left has |w| < 5: the large "
        "entries were zeroed instead of the small ones. Keep `abs() >= 5`.",
        "zh": "约一半的权重为零，但剩下的全都 |w| < 5：被置零的是大的元素而不是小的。"
        "请保留 `abs() >= 5` 的元素。",
    },
    "my_init_positive_only": {
        "en": "No weight is negative: they come from U(0, 10) (`torch.rand() * 10`, say). "
        "Draw from U(-10, 10) with `nn.init.uniform_`.",
        "zh": "没有一个权重为负：它们来自 U(0, 10)（例如 `torch.rand() * 10`）。请用 "
        "`nn.init.uniform_` 从 U(-10, 10) 抽取。",
    },
}
