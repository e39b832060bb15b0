"""Diagnoses for exercise 1 (layers and blocks): test function -> {"en", "zh"}."""

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ MLP
    "test_mlp_has_hidden_and_out_layers": {
        "en": "MLP's layers are misnamed or misshaped: the two nn.Linear layers must be the "
        "attributes `hidden` and `out` exactly (not fc1/fc2), sized from the arguments "
        "(num_inputs -> num_hiddens -> num_outputs), not the book's fixed 20, 256, 10.",
        "zh": "MLP 的层名字或形状不对：两个 nn.Linear 层必须恰好是属性 `hidden` 和 `out`"
        "（不要叫 fc1/fc2），大小要按参数来（num_inputs -> num_hiddens -> num_outputs），"
        "不要照抄书中固定的 20、256、10。",
    },
    "test_mlp_defaults_are_the_books": {
        "en": "MLP() without arguments should be the book's 20 -> 256 -> 10 network: keep the "
        "defaults `num_inputs=20, num_hiddens=256, num_outputs=10` in `__init__`'s signature "
        "and name the two layers `hidden` and `out` (not fc1/fc2).",
        "zh": "不带参数的 MLP() 应当就是书中 20 -> 256 -> 10 的网络：在 `__init__` 的签名中保留"
        "默认值 `num_inputs=20, num_hiddens=256, num_outputs=10`，两个层命名为 `hidden` 和 "
        "`out`（不要叫 fc1/fc2）。",
    },
    "test_mlp_forward_is_out_of_relu_of_hidden": {
        "en": "MLP.forward is not `out(relu(hidden(X)))`: put the ReLU between the two layers "
        "and only there: without it the two Linear layers collapse into one affine map, and "
        "no ReLU after `out` (the output layer has no activation). Build the layers from the "
        "arguments and name them `hidden` and `out`.",
        "zh": "MLP.forward 不是 `out(relu(hidden(X)))`：ReLU 只放在两个层之间。漏掉它，"
        "两个线性层就合成了一个仿射变换；`out` 之后也不要再加 ReLU（输出层没有激活函数）。"
        "层的大小按参数来，名字用 `hidden` 和 `out`。",
    },
    # ------------------------------------------------------------ MySequential
    "test_mysequential_state_dict_keys_match_nn_sequential": {
        "en": "MySequential's state_dict keys or output differ from nn.Sequential's: register "
        "each module with `self.add_module(str(idx), module)` for `*modules` (a plain list "
        "registers nothing, a wrapped `self.net`/`self.layers` adds a prefix, class-name or "
        "`str(module)` keys collide), and in forward run every module of "
        "`self._modules.values()` in order (no set(), reversed or off-by-one range; "
        "`return X` after the loop).",
        "zh": "MySequential 的 state_dict 键名或输出与 nn.Sequential 不同：对 `*modules` 中的"
        "每个模块调用 `self.add_module(str(idx), module)` 注册（普通 list 什么也没注册；"
        "包在 `self.net`/`self.layers` 里会多出前缀；用类名或 `str(module)` 作键会冲突），"
        "forward 中按顺序运行 `self._modules.values()` 里的每个模块（不用 set()、不反转、"
        "range 不少一个；`return X` 放在循环之后）。",
    },
    "test_mysequential_state_dicts_load_both_ways": {
        "en": "nn.Sequential's state dict does not load strictly into MySequential, or back: "
        "the keys must read `0.weight`, `0.bias`, `2.weight`, ...; register each module under "
        "its index with `self.add_module(str(idx), module)`, not in a plain list, not in a "
        "wrapped nn.Sequential/nn.ModuleList (`net.0.weight`), not keyed by class name or "
        "`str(module)`; accept `*modules`, and run them all in order.",
        "zh": "nn.Sequential 的 state_dict 无法严格加载到 MySequential（或反过来）：键名必须是 "
        "`0.weight`、`0.bias`、`2.weight`……；用 `self.add_module(str(idx), module)` 按下标"
        "注册每个模块，不要放在普通 list 里，不要包一层 nn.Sequential/nn.ModuleList"
        "（会变成 `net.0.weight`），也不要用类名或 `str(module)` 作键；接收 `*modules`，"
        "并按顺序运行全部模块。",
    },
    "test_mysequential_applies_modules_in_the_order_given": {
        "en": "MySequential does not run each module once, in the order given: loop over "
        "`self._modules.values()` (ordered) with `X = module(X)` and `return X` after the "
        "loop, not inside it; no set(), no reversed(), no range that skips the last one. "
        "Keys that can collide (class name, `str(module)`) silently drop modules: key by "
        "`str(idx)`, and take `*modules`, not one list.",
        "zh": "MySequential 没有按给定顺序把每个模块各运行一次：遍历（有序的）"
        "`self._modules.values()`，执行 `X = module(X)`，`return X` 写在循环之后而不是循环里；"
        "不要用 set()、reversed()，也不要用少算最后一个的 range。可能重复的键（类名、"
        "`str(module)`）会悄悄丢掉模块：请用 `str(idx)` 作键，并接收 `*modules` 而不是一个列表。",
    },
    "test_mysequential_runs_a_repeated_module_at_each_position": {
        "en": "A module given twice (shared parameters) ran only once: `self.children()`, "
        "`self.modules()`, `set(...)` and `dict.fromkeys(...)` yield a repeated instance once; "
        "loop over `self._modules.values()`, which keeps every position, and register it at "
        "each position under `str(idx)` so the keys match nn.Sequential's.",
        "zh": "同一个模块传入两次（共享参数），却只运行了一次：`self.children()`、"
        "`self.modules()`、`set(...)` 和 `dict.fromkeys(...)` 对重复的实例只给出一次；请遍历"
        "保留每个位置的 `self._modules.values()`，并在每个位置都以 `str(idx)` 为键注册，"
        "使键名与 nn.Sequential 一致。",
    },
    "test_mysequential_is_written_on_nn_module": {
        "en": "MySequential must be your own nn.Module: don't subclass nn.Sequential or "
        "nn.ModuleList and don't keep one (or a plain list) in an attribute; register each "
        "given module object itself (no copy) as a direct child under `str(idx)` with "
        "`self.add_module`, and loop over `self._modules.values()` in forward.",
        "zh": "MySequential 要直接写在 nn.Module 上：不要继承 nn.Sequential 或 nn.ModuleList，"
        "也不要把它们（或普通 list）存在某个属性里；用 `self.add_module` 把传入的模块对象本身"
        "（不是副本）以 `str(idx)` 为键注册为直接子模块，forward 中遍历 "
        "`self._modules.values()`。",
    },
    "test_mysequential_parameters_move_with_to_device": {
        "en": "MySequential's parameters or buffers are missing or stayed behind after `.to()`: "
        "modules kept in a plain list, or under colliding keys such as the class name, are "
        "not registered; register each with `self.add_module(str(idx), module)`, and run all "
        "of them in order (no set(), reversed() or off-by-one) so the output has the right "
        "shape.",
        "zh": "MySequential 的参数或缓冲区缺失，或在 `.to()` 之后没有跟着移动：放在普通 list "
        "里、或用类名等会冲突的键存放的模块都没有被注册；请用 "
        "`self.add_module(str(idx), module)` 注册每个模块，并按顺序运行全部模块（不用 set()、"
        "reversed()，不少算一个），输出形状才会正确。",
    },
    "test_empty_mysequential_returns_its_input": {
        "en": "MySequential() with no modules should return X unchanged: `__init__` must "
        "accept zero modules, and forward should start from X, loop `X = module(X)` over "
        "`self._modules.values()` and `return X` after the loop (not None, not "
        "`self._modules['0'](X)`, no reduce() without a start value).",
        "zh": "不含任何模块的 MySequential() 应原样返回 X：`__init__` 必须允许零个模块，forward "
        "从 X 开始，遍历 `self._modules.values()` 执行 `X = module(X)`，循环之后 `return X`"
        "（不要返回 None，不要写 `self._modules['0'](X)`，也不要用没有初始值的 reduce()）。",
    },
    # ------------------------------------------------------------ FixedHiddenMLP
    "test_fixed_hidden_mlp_parameters_are_only_linears": {
        "en": "FixedHiddenMLP has parameters besides linear.weight and linear.bias: "
        "`rand_weight` must not be an `nn.Parameter` (not even with requires_grad=False), "
        "register it with `self.register_buffer`; and create one `self.linear` used twice "
        "in forward, not a second Linear layer.",
        "zh": "FixedHiddenMLP 除了 linear.weight 和 linear.bias 之外还有别的参数："
        "`rand_weight` 不能是 `nn.Parameter`（即使 requires_grad=False 也不行），请用 "
        "`self.register_buffer` 注册；并且只创建一个 `self.linear`，在 forward 中用两次，"
        "不要再建第二个线性层。",
    },
    "test_rand_weight_is_a_persistent_buffer": {
        "en": "`rand_weight` is not a persistent buffer: a plain tensor attribute or an "
        "`nn.Parameter` is no buffer, `persistent=False` leaves it out of `state_dict()`, and "
        "`torch.rand(..., requires_grad=True)` makes it ask for a gradient; write "
        "`self.register_buffer('rand_weight', torch.rand(n, n))` with the default options.",
        "zh": "`rand_weight` 不是持久缓冲区：普通张量属性或 `nn.Parameter` 都不是缓冲区，"
        "`persistent=False` 会让它不出现在 `state_dict()` 中，`torch.rand(..., "
        "requires_grad=True)` 会让它需要梯度；请写 "
        "`self.register_buffer('rand_weight', torch.rand(n, n))`，其余选项保持默认。",
    },
    "test_rand_weight_is_drawn_from_uniform_0_1": {
        "en": "`rand_weight` is not uniform on [0, 1): draw it with "
        "`torch.rand(num_features, num_features)`, not `torch.randn` (normal, with negative "
        "values) and not another distribution or scale.",
        "zh": "`rand_weight` 不服从 [0, 1) 上的均匀分布：请用 "
        "`torch.rand(num_features, num_features)` 生成，不要用 `torch.randn`（正态分布，"
        "有负值），也不要换成别的分布或缩放。",
    },
    "test_rand_weight_is_constant_and_gets_no_gradient": {
        "en": "`rand_weight` must stay a constant: draw it once in `__init__` (never reassign or "
        "redraw it in forward) and without requires_grad=True; forward must return `X.sum()`, "
        "a 0-d tensor, so that `net(X).backward()` works and the gradient reaches "
        "`linear.weight`.",
        "zh": "`rand_weight` 必须是常量：只在 `__init__` 中生成一次（不要在 forward 里重新赋值"
        "或重新采样），也不要设 requires_grad=True；forward 必须返回 `X.sum()` 这个 0 维张量，"
        "这样 `net(X).backward()` 才能运行，梯度才能传到 `linear.weight`。",
    },
    "test_rand_weight_moves_with_to_device": {
        "en": "`rand_weight` stayed behind after `.to(device)`: a tensor stored as a plain "
        "attribute is not moved with the module; register it with "
        "`self.register_buffer('rand_weight', ...)` so that it moves (and is saved) with the "
        "parameters.",
        "zh": "`.to(device)` 之后 `rand_weight` 没有跟着移动：作为普通属性保存的张量不会随模块"
        "移动；请用 `self.register_buffer('rand_weight', ...)` 注册，它才会和参数一起移动"
        "（并一起保存）。",
    },
    "test_fixed_hidden_mlp_forward_follows_the_recipe": {
        "en": "FixedHiddenMLP.forward departs from the recipe: `linear`, `relu(X @ rand_weight "
        "+ 1)` (keep the + 1; `@`, as `torch.mm` rejects extra batch dims), the same `linear` "
        "again (no second layer), then halve `while X.abs().sum() > 1` (`while`, not `if`; "
        "with `.abs()`) and return `X.sum()`; a plain-tensor rand_weight misses `.to(dtype)`: "
        "make it a buffer.",
        "zh": "FixedHiddenMLP.forward 没有按步骤来：先 `linear`，再 `relu(X @ rand_weight + 1)`"
        "（别漏 + 1；用 `@`，`torch.mm` 不接受多余的批量维），再用同一个 `linear`（不是第二个"
        "层），然后 `while X.abs().sum() > 1` 时减半（用 `while` 而非 `if`，别漏 `.abs()`），"
        "返回 `X.sum()`；rand_weight 是普通张量时不随 `.to(dtype)` 转换，请注册为缓冲区。",
    },
    "test_fixed_hidden_mlp_gradients_flow_through_both_uses_of_linear": {
        "en": "linear's gradients differ from the recipe's: call the same `self.linear` both "
        "times (a second Linear breaks the sharing), keep `relu(X @ rand_weight + 1)` with `@` "
        "(not `torch.mm`) and the + 1, halve `while X.abs().sum() > 1`, and return `X.sum()` "
        "so that backward() gets a scalar; register rand_weight as a buffer so `.double()` "
        "converts it.",
        "zh": "linear 参数的梯度与按步骤计算的不同：两次都要调用同一个 `self.linear`（第二个"
        "线性层会破坏参数共享），保留 `relu(X @ rand_weight + 1)`，用 `@`（不用 `torch.mm`）"
        "且别漏 + 1，`while X.abs().sum() > 1` 时减半，返回 `X.sum()`，让 backward() 得到标量；"
        "把 rand_weight 注册为缓冲区，`.double()` 才会转换它。",
    },
    # ------------------------------------------------------------ NestMLP and chimera
    "test_nestmlp_structure": {
        "en": "NestMLP's layers differ from the book's: `self.net` is an nn.Sequential of "
        "Linear(20, 64), ReLU, Linear(64, 32), ReLU (both ReLUs; widths 64 then 32) and "
        "`self.linear` is Linear(32, 16); use exactly these attribute names so the keys read "
        "`net.0.*`, `net.2.*`, `linear.*`.",
        "zh": "NestMLP 的层与书中不同：`self.net` 是由 Linear(20, 64)、ReLU、Linear(64, 32)、"
        "ReLU 组成的 nn.Sequential（两个 ReLU 都要有；宽度先 64 后 32），`self.linear` 是 "
        "Linear(32, 16)；属性名必须完全一致，键名才会是 `net.0.*`、`net.2.*`、`linear.*`。",
    },
    "test_nestmlp_forward_is_linear_of_net": {
        "en": "NestMLP.forward should return `self.linear(self.net(X))`: first the Sequential, "
        "then the Linear(32, 16), nothing skipped and no extra activation; both act on the "
        "last dimension, so leading batch dimensions pass through unchanged.",
        "zh": "NestMLP.forward 应返回 `self.linear(self.net(X))`：先经过 Sequential，再经过 "
        "Linear(32, 16)，不跳过任何一步，也不额外加激活函数；两者都只作用于最后一维，"
        "前面的批量维原样保留。",
    },
    "test_chimera_structure": {
        "en": "chimera() must return an nn.Sequential of exactly NestMLP(), nn.Linear(16, 20), "
        "FixedHiddenMLP(), in this order: the Linear(16, 20) turns NestMLP's 16 outputs into "
        "the 20 features FixedHiddenMLP() takes by default; don't drop it, move it, or use "
        "FixedHiddenMLP(16) instead.",
        "zh": "chimera() 必须返回恰好由 NestMLP()、nn.Linear(16, 20)、FixedHiddenMLP() 依次组成的 "
        "nn.Sequential：Linear(16, 20) 把 NestMLP 的 16 个输出变成 FixedHiddenMLP() 默认的 "
        "20 个特征；不要省掉它、挪动它的位置，也不要改用 FixedHiddenMLP(16)。",
    },
    "test_chimera_maps_batches_to_a_scalar": {
        "en": "chimera() should map (..., 20) to a 0-d tensor with |value| <= 1: order NestMLP(), "
        "nn.Linear(16, 20), FixedHiddenMLP(); inside FixedHiddenMLP use `X @ rand_weight` (not "
        "`torch.mm`, which rejects extra batch dims), halve `while X.abs().sum() > 1` (not "
        "`if`, not without `.abs()`), and return `X.sum()`.",
        "zh": "chimera() 应把 (..., 20) 映射为绝对值不超过 1 的 0 维张量：顺序是 NestMLP()、"
        "nn.Linear(16, 20)、FixedHiddenMLP()；在 FixedHiddenMLP 中用 `X @ rand_weight`"
        "（不用 `torch.mm`，它不接受多余的批量维），`while X.abs().sum() > 1` 时减半（不是 "
        "`if`，也别漏 `.abs()`），并返回 `X.sum()`。",
    },
    "test_fixed_hidden_mlp_stops_halving_at_exactly_one": {
        "en": "FixedHiddenMLP halved once too often: the loop must run `while X.abs().sum() > 1`, "
        "strictly greater, so a sum of exactly 1 stops it (`>= 1` halves it once more).",
        "zh": "FixedHiddenMLP 多减半了一次：循环条件必须是 `while X.abs().sum() > 1`（严格大于），"
        "总和恰好为 1 时就该停止（写成 `>= 1` 会再减半一次）。",
    },
}
