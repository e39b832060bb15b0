"""Diagnoses for exercise 2 (parameter management): test function -> {"en", "zh"}."""

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ count_parameters
    "test_count_parameters_of_small_nets": {
        "en": "count_parameters gives the wrong number for a small net, or not an int: it "
        "probably counts parameter tensors (`len(list(net.parameters()))`) instead of their "
        "entries, or returns a tensor; add up `p.numel()` over `net.parameters()` into a "
        "Python int.",
        "zh": "`count_parameters` 对小网络给出的数目不对，或返回的不是 `int`：大概数的是参数"
        "张量的个数（`len(list(net.parameters()))`）而不是其中的元素个数，或返回了张量；"
        "请对 `net.parameters()` 中每个参数的 `p.numel()` 求和，得到 Python `int`。",
    },
    "test_count_parameters_of_drawn_nets": {
        "en": "count_parameters disagrees with the entry count of a random net: it counts "
        "tensors instead of `p.numel()`, counts buffers (`state_dict()`, `buffers()`), counts "
        "a shared layer or tied weight at each place (`remove_duplicate=False`, a sum over "
        "`modules()`), or ignores `trainable_only`; sum `p.numel()` over `net.parameters()`, "
        "which yields each Parameter once, keeping only `p.requires_grad` ones when asked.",
        "zh": "`count_parameters` 与随机网络的参数元素总数不符：数了张量个数而非 `p.numel()`，"
        "把缓冲区也算了进去（`state_dict()`、`buffers()`），把共享层或绑定的权重在每处都算"
        "一次（`remove_duplicate=False`、对 `modules()` 逐个求和），或忽略了 `trainable_only`；"
        "请对 `net.parameters()`（每个参数只出现一次）求 `p.numel()` 之和，"
        "需要时只保留 `p.requires_grad` 为真的参数。",
    },
    "test_count_parameters_counts_a_shared_layer_once": {
        "en": "A layer used at two positions is counted twice (or its tensors are counted, not "
        "their entries): `state_dict()` and `named_parameters(remove_duplicate=False)` list a "
        "shared Parameter under each name; iterate `net.parameters()`, which yields it once, "
        "and add up `p.numel()`.",
        "zh": "在两个位置使用的同一层被算了两次（或数的是张量个数而非元素个数）："
        "`state_dict()` 和 `named_parameters(remove_duplicate=False)` 会在每个名字下各列一次"
        "共享参数；请遍历 `net.parameters()`（共享参数只给一次），对 `p.numel()` 求和。",
    },
    "test_count_parameters_counts_a_tied_weight_once": {
        "en": "A weight tied into two modules is counted twice: summing each module's own "
        "parameters over `net.modules()`, or going through `state_dict()` or "
        "`named_parameters(remove_duplicate=False)`, meets the one Parameter at every place "
        "that holds it; iterate `net.parameters()` once over the whole net and add up "
        "`p.numel()`.",
        "zh": "绑定到两个模块的同一个权重被算了两次：对 `net.modules()` 逐个累加各模块自己的"
        "参数，或经由 `state_dict()`、`named_parameters(remove_duplicate=False)` 计数，都会在"
        "持有它的每一处各遇到一次；请对整个网络只遍历一次 `net.parameters()`，"
        "对 `p.numel()` 求和。",
    },
    "test_count_parameters_never_counts_buffers": {
        "en": "BatchNorm's buffers (`running_mean`, `running_var`, `num_batches_tracked`) are "
        "counted as parameters: `state_dict()` and `buffers()` hold them, `parameters()` does "
        "not; count over `net.parameters()` only, adding up `p.numel()` (entries, not tensors).",
        "zh": "把 BatchNorm 的缓冲区（`running_mean`、`running_var`、`num_batches_tracked`）"
        "当成了参数：`state_dict()` 和 `buffers()` 里有它们，`parameters()` 里没有；"
        "请只在 `net.parameters()` 上计数，对 `p.numel()` 求和（数元素，不数张量）。",
    },
    "test_count_parameters_trainable_only": {
        "en": "`trainable_only=True` is ignored (or not accepted as the second positional "
        "argument), or tensors are counted instead of entries: when `trainable_only` is true, "
        "skip every parameter whose `p.requires_grad` is False; keep the signature "
        "`count_parameters(net, trainable_only=False)`.",
        "zh": "`trainable_only=True` 被忽略了（或不能作为第二个位置参数传入），或数的是张量个数"
        "而非元素个数：`trainable_only` 为真时，跳过 `p.requires_grad` 为 False 的参数；"
        "函数签名保持 `count_parameters(net, trainable_only=False)`。",
    },
    # ------------------------------------------------------------ block1, block2, rgnet
    "test_block1_structure": {
        "en": "block1 is not Linear(4, 8), ReLU, Linear(8, 4), ReLU: typically the final "
        "`nn.ReLU()` is left out, or the sizes are swapped; return one `nn.Sequential` of "
        "those four modules in that order, both Linear layers with a bias.",
        "zh": "`block1` 不是 Linear(4, 8)、ReLU、Linear(8, 4)、ReLU：常见的是漏了最后的 "
        "`nn.ReLU()`，或把尺寸写反了；请按这个顺序返回由这四个模块组成的一个 "
        "`nn.Sequential`，两个 Linear 层都带偏置。",
    },
    "test_block2_names_its_blocks": {
        "en": "block2's children are misnamed, are one block, or are not block1s: the book's "
        "`f'block {i}'` has a space, `nn.Sequential(*blocks)` names them 0, 1, …, and calling "
        "`block1()` once before the loop puts one shared block under every name; start from "
        "`nn.Sequential()` and `add_module(f'block{i}', ...)` a fresh `block1()` each time "
        "round the loop (a wrong block1 shows here too).",
        "zh": "`block2` 的子块名字不对、其实是同一个块，或不是 `block1`：书中的 "
        "`f'block {i}'` 带空格，`nn.Sequential(*blocks)` 会把它们命名为 0、1、…，而在循环前"
        "只调用一次 `block1()` 会让每个名字下都是同一个共享块；请从 `nn.Sequential()` 开始，"
        "每轮循环都用 `add_module(f'block{i}', ...)` 加入一个新的 `block1()`"
        "（`block1` 写错也会在这里出错）。",
    },
    "test_block2_has_four_blocks_by_default": {
        "en": "block2() without arguments should hold four blocks named block0 … block3: check "
        "the default `num_blocks=4` and the names (no space as in the book's `f'block {i}'`, "
        "and not the 0, 1, … that `nn.Sequential(*blocks)` gives); register each with "
        "`add_module`.",
        "zh": "不带参数的 `block2()` 应含四个块，名为 block0 … block3：检查默认值 "
        "`num_blocks=4` 和名字（不要像书中 `f'block {i}'` 那样带空格，也不要用 "
        "`nn.Sequential(*blocks)` 给出的 0、1、…）；请用 `add_module` 逐个注册。",
    },
    "test_rgnet_parameter_names": {
        "en": "rgnet's parameter names differ from `0.block0.0.weight` … `1.bias`: typically "
        "the final `nn.Linear(4, 1)` is missing, block2 names its blocks wrongly (a space, or "
        "plain numbers), or one block is reused so its parameters are listed once; rgnet is "
        "an `nn.Sequential` of `block2()` followed by `nn.Linear(4, 1)`, with no buffers.",
        "zh": "`rgnet` 的参数名与 `0.block0.0.weight` … `1.bias` 不符：常见的是漏了最后的 "
        "`nn.Linear(4, 1)`，`block2` 给块起错了名字（带空格或只是数字），或重复使用了同一个"
        "块，使其参数只列出一次；`rgnet` 是先 `block2()`、后 `nn.Linear(4, 1)` 的 "
        "`nn.Sequential`，不含缓冲区。",
    },
    "test_forward_shapes": {
        "en": "A block maps its input to the wrong shape or dtype: rgnet must end in "
        "`nn.Linear(4, 1)` (output (…, 1)), and block1 and block2 map (…, 4) to (…, 4); build "
        "them from `nn.Linear` and `nn.ReLU` alone, so that extra leading dimensions and "
        "float64 (after `.to(dtype)`) pass through.",
        "zh": "某个块输出的形状或 dtype 不对：`rgnet` 必须以 `nn.Linear(4, 1)` 结尾"
        "（输出 (…, 1)），`block1` 和 `block2` 把 (…, 4) 映射到 (…, 4)；只用 `nn.Linear` 和 "
        "`nn.ReLU` 搭建，这样多出的前导维度和 float64（`.to(dtype)` 之后）都能正常通过。",
    },
    # ------------------------------------------------------------ initialisers
    "test_initialiser_changes_values_in_place": {
        "en": "The initialiser replaced a parameter instead of writing into it: "
        "`m.weight = nn.Parameter(...)`, `m.weight.data = torch.randn(...)` (new float32 "
        "storage) or storing `m.weight * mask` (a non-leaf) all do; so does switching "
        "`requires_grad` off for good, and an in-place op outside `torch.no_grad()` raises. Use "
        "`nn.init.*_`, and for changes by hand `*=` or `mul_` inside `with torch.no_grad():`.",
        "zh": "初始化函数替换了参数，而不是原地写入：`m.weight = nn.Parameter(...)`、"
        "`m.weight.data = torch.randn(...)`（新的 float32 存储）或把 `m.weight * mask`"
        "（非叶子节点）存为权重都是如此；关掉 `requires_grad` 后不再打开也不行，而在 "
        "`torch.no_grad()` 之外做原地运算会报错。请用 `nn.init.*_`，手动修改时在 "
        "`with torch.no_grad():` 中用 `*=` 或 `mul_`。",
    },
    "test_initialiser_acts_on_linear_only": {
        "en": "The initialiser changed a Conv2d, BatchNorm, LayerNorm or custom layer, or left "
        "the nn.Linear untouched (e.g. it raised on an in-place change outside "
        "`torch.no_grad()`): `net.apply` calls it on every module, so test "
        "`isinstance(m, nn.Linear)` rather than `hasattr(m, 'weight')`, and return without "
        "touching any other module.",
        "zh": "初始化函数改动了 Conv2d、BatchNorm、LayerNorm 或自定义层，或没有改动 "
        "`nn.Linear`（例如在 `torch.no_grad()` 之外原地修改而报错）：`net.apply` 会对每个"
        "模块调用它，所以要判断 `isinstance(m, nn.Linear)` 而不是 `hasattr(m, 'weight')`，"
        "其他模块一律不动。",
    },
    "test_init_normal_statistics": {
        "en": "init_normal's weights are not N(0, 0.01²) or its bias is not 0: 0.01 is the "
        "standard deviation (pass `std=0.01`, not 0.1 = sqrt(0.01) nor 0.0001 = 0.01²), draw "
        "with `nn.init.normal_` (not a uniform of the same std), and set the bias to zero with "
        "`nn.init.zeros_`.",
        "zh": "`init_normal` 的权重不服从 N(0, 0.01²)，或偏置不为 0：0.01 是标准差"
        "（传 `std=0.01`，不是 0.1 = sqrt(0.01)，也不是 0.0001 = 0.01²），用 "
        "`nn.init.normal_` 抽取（不要用同样标准差的均匀分布），并用 `nn.init.zeros_` "
        "把偏置置零。",
    },
    "test_init_constant_values": {
        "en": "init_constant should make every weight entry 1 and every bias entry 0 on each "
        "nn.Linear: use `nn.init.constant_` for the weight and `nn.init.zeros_` for the bias "
        "(do not forget the bias, nor swap the two values).",
        "zh": "`init_constant` 应把每个 `nn.Linear` 的权重全部设为 1、偏置全部设为 0："
        "权重用 `nn.init.constant_`，偏置用 `nn.init.zeros_`（别忘了偏置，也别把两个值弄反）。",
    },
    "test_init_xavier_statistics": {
        "en": "init_xavier's weights are not Xavier *uniform*, or its bias changed: "
        "`xavier_normal_` draws from a normal (values beyond ±a), a hand-made "
        "`a = sqrt(6 / fan_in)` leaves fan_out out of Glorot's formula, and the bias must not "
        "be zeroed; call `nn.init.xavier_uniform_` on the weight and leave the bias alone.",
        "zh": "`init_xavier` 的权重不是 Xavier *均匀*分布，或偏置被改了：`xavier_normal_` "
        "从正态分布抽取（会有超出 ±a 的值），手写的 `a = sqrt(6 / fan_in)` 漏了 Glorot 公式中"
        "的 fan_out，偏置也不应置零；请对权重调用 `nn.init.xavier_uniform_`，偏置保持不变。",
    },
    "test_init_42_values": {
        "en": "init_42 should set every weight entry to 42 and leave the bias as it was: "
        "typically the bias is set to 42 (or zeroed) too; call `nn.init.constant_` on "
        "`m.weight` only.",
        "zh": "`init_42` 应把权重全部设为 42，偏置保持原样：常见的是把偏置也设成了 42"
        "（或置零）；只对 `m.weight` 调用 `nn.init.constant_`。",
    },
    "test_my_init_statistics": {
        "en": "my_init's weights are not U(-10, 10) with the entries below 5 in absolute value "
        "zeroed: it draws from U(0, 10), forgets the zeroing, zeroes the large entries instead "
        "(`< 5` vs `>= 5`), or multiplies outside `torch.no_grad()` (which raises); draw with "
        "`nn.init.uniform_` between -10 and 10, then multiply in place by the mask "
        "`abs() >= 5` under `torch.no_grad()`; keep the bias.",
        "zh": "`my_init` 的权重不是「从 U(-10, 10) 抽取、再把绝对值小于 5 的元素置零」：从 "
        "U(0, 10) 抽取、忘了置零、反而把大的元素置零（`< 5` 与 `>= 5` 弄反），或在 "
        "`torch.no_grad()` 之外做乘法（会报错）；请用 `nn.init.uniform_` 在 -10 与 10 之间"
        "抽取，再在 `torch.no_grad()` 下原地乘以掩码 `abs() >= 5`；偏置保持不变。",
    },
}
