"""Diagnoses for exercise 1 (layers and blocks): CHECKS (test -> the property it checks)
and DIAGNOSES (signature -> the mistake its data show, and the fix), in English and
Chinese."""

CHECKS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ MLP
    "test_mlp_has_hidden_and_out_layers": {
        "en": "MLP(num_inputs, num_hiddens, num_outputs) has two nn.Linear layers, hidden "
        "(num_inputs -> num_hiddens) and out (num_hiddens -> num_outputs), and no other "
        "parameters.",
        "zh": "MLP(num_inputs, num_hiddens, num_outputs) 有两个 nn.Linear 层：hidden"
        "（num_inputs -> num_hiddens）和 out（num_hiddens -> num_outputs），没有别的参数。",
    },
    "test_mlp_defaults_are_the_books": {
        "en": "MLP() without arguments is the book's 20 -> 256 -> 10 network.",
        "zh": "不带参数的 MLP() 就是书中 20 -> 256 -> 10 的网络。",
    },
    "test_mlp_forward_is_out_of_relu_of_hidden": {
        "en": "MLP's output is out(relu(hidden(X))), for inputs with any leading dimensions.",
        "zh": "MLP 的输出等于 out(relu(hidden(X)))，输入可以有任意多个前导维度。",
    },
    # ------------------------------------------------------------ MySequential
    "test_mysequential_state_dict_keys_match_nn_sequential": {
        "en": "MySequential(*modules) has the state_dict keys nn.Sequential(*modules) has "
        "(0.weight, 0.bias, 2.weight, ...) and computes the same output.",
        "zh": "MySequential(*modules) 的 state_dict 键与 nn.Sequential(*modules) 的相同"
        "（0.weight、0.bias、2.weight……），输出也相同。",
    },
    "test_mysequential_state_dicts_load_both_ways": {
        "en": "An nn.Sequential's state dict loads strictly into a MySequential of the same "
        "modules, and back, and each then computes with the loaded values.",
        "zh": "nn.Sequential 的状态字典能严格加载到由相同模块组成的 MySequential 中，反过来也"
        "可以，加载后各自用加载的值计算。",
    },
    "test_mysequential_applies_modules_in_the_order_given": {
        "en": "MySequential runs each module once, in the order given.",
        "zh": "MySequential 按给定的顺序把每个模块各运行一次。",
    },
    "test_mysequential_runs_a_repeated_module_at_each_position": {
        "en": "A module given several times runs at each of its positions, and MySequential "
        "holds it at each position, with nn.Sequential's state_dict keys.",
        "zh": "同一个模块传入多次时，在它的每个位置都要运行；MySequential 在每个位置都持有它，"
        "state_dict 键与 nn.Sequential 相同。",
    },
    "test_mysequential_is_written_on_nn_module": {
        "en": "MySequential is written on nn.Module: its direct children are the given "
        "modules themselves, under the keys 0, 1, 2, with no container in between.",
        "zh": "MySequential 直接写在 nn.Module 上：它的直接子模块就是传入的模块本身，键为 "
        "0、1、2，中间没有别的容器。",
    },
    "test_mysequential_parameters_move_with_to_device": {
        "en": "MySequential's modules are registered: their parameters and buffers are its "
        "own and move with .to('meta').",
        "zh": "MySequential 的模块都已注册：它们的参数和缓冲区属于 MySequential，并随 "
        ".to('meta') 一起移动。",
    },
    "test_empty_mysequential_returns_its_input": {
        "en": "MySequential() with no modules returns its input unchanged.",
        "zh": "不含任何模块的 MySequential() 原样返回输入。",
    },
    # ------------------------------------------------------------ FixedHiddenMLP
    "test_fixed_hidden_mlp_parameters_are_only_linears": {
        "en": "FixedHiddenMLP(n)'s only parameters are linear.weight and linear.bias, of one "
        "nn.Linear(n, n).",
        "zh": "FixedHiddenMLP(n) 的参数只有 linear.weight 和 linear.bias，来自同一个 "
        "nn.Linear(n, n)。",
    },
    "test_rand_weight_is_a_persistent_buffer": {
        "en": "rand_weight is a persistent buffer of shape (n, n) that requires no gradient.",
        "zh": "rand_weight 是形状为 (n, n)、不需要梯度的持久缓冲区。",
    },
    "test_rand_weight_is_drawn_from_uniform_0_1": {
        "en": "rand_weight's values are drawn from U[0, 1).",
        "zh": "rand_weight 的值从 U[0, 1) 中采样。",
    },
    "test_rand_weight_is_constant_and_gets_no_gradient": {
        "en": "rand_weight is created in __init__, stays the same across forward calls and "
        "gets no gradient, while linear.weight gets one.",
        "zh": "rand_weight 在 __init__ 中创建，多次前向传播之间保持不变，也得不到梯度；"
        "linear.weight 则能得到梯度。",
    },
    "test_rand_weight_moves_with_to_device": {
        "en": "rand_weight moves with .to('meta'), as linear does.",
        "zh": "rand_weight 与 linear 一样随 .to('meta') 移动。",
    },
    "test_fixed_hidden_mlp_forward_follows_the_recipe": {
        "en": "FixedHiddenMLP's output follows the recipe: linear, relu(X @ rand_weight + 1), "
        "linear again, halve while X.abs().sum() > 1, then X.sum(), a 0-d tensor.",
        "zh": "FixedHiddenMLP 的输出按步骤计算：linear，relu(X @ rand_weight + 1)，再用一次 "
        "linear，当 X.abs().sum() > 1 时不断减半，最后返回 0 维张量 X.sum()。",
    },
    "test_fixed_hidden_mlp_gradients_flow_through_both_uses_of_linear": {
        "en": "The gradients of linear.weight and linear.bias are those of the recipe, "
        "through both uses of linear.",
        "zh": "linear.weight 和 linear.bias 的梯度与按步骤计算的相同，经过 linear 的两次使用。",
    },
    "test_fixed_hidden_mlp_stops_halving_at_exactly_one": {
        "en": "Halving stops as soon as X.abs().sum() is 1 or less: from (2, 0, 0, 0) the "
        "output is 1.0.",
        "zh": "X.abs().sum() 一旦不大于 1 就停止减半：从 (2, 0, 0, 0) 出发，输出为 1.0。",
    },
    # ------------------------------------------------------------ NestMLP and chimera
    "test_nestmlp_structure": {
        "en": "NestMLP.net is nn.Sequential(Linear(20, 64), ReLU, Linear(64, 32), ReLU) and "
        "NestMLP.linear is Linear(32, 16), with the keys net.0.*, net.2.*, linear.*.",
        "zh": "NestMLP.net 是 nn.Sequential(Linear(20, 64), ReLU, Linear(64, 32), ReLU)，"
        "NestMLP.linear 是 Linear(32, 16)，键为 net.0.*、net.2.*、linear.*。",
    },
    "test_nestmlp_forward_is_linear_of_net": {
        "en": "NestMLP's output is linear(net(X)), (..., 20) to (..., 16).",
        "zh": "NestMLP 的输出等于 linear(net(X))，把 (..., 20) 映射为 (..., 16)。",
    },
    "test_chimera_structure": {
        "en": "chimera() is nn.Sequential(NestMLP(), nn.Linear(16, 20), FixedHiddenMLP()).",
        "zh": "chimera() 是 nn.Sequential(NestMLP(), nn.Linear(16, 20), FixedHiddenMLP())。",
    },
    "test_chimera_maps_batches_to_a_scalar": {
        "en": "chimera() maps inputs of shape (..., 20) to a 0-d tensor with |value| <= 1.",
        "zh": "chimera() 把形状为 (..., 20) 的输入映射为绝对值不超过 1 的 0 维张量。",
    },
}

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ MLP
    "mlp_book_sizes": {
        "en": "MLP built the book's 20 -> 256 -> 10 layers whatever the arguments. Build "
        "hidden and out from num_inputs, num_hiddens and num_outputs.",
        "zh": "无论参数是什么，MLP 都建成了书中 20 -> 256 -> 10 的层。请用 num_inputs、"
        "num_hiddens 和 num_outputs 创建 hidden 和 out。",
    },
    "relu_after_out": {
        "en": "MLP's output is relu(out(relu(hidden(X)))): a ReLU also follows the output "
        "layer. The output layer has no activation: return out(...) as it is.",
        "zh": "MLP 的输出是 relu(out(relu(hidden(X))))：输出层之后也加了 ReLU。输出层没有激活"
        "函数：直接返回 out(...) 的结果。",
    },
    "no_hidden_relu": {
        "en": "MLP's output is out(hidden(X)): the ReLU between the two layers is missing, "
        "so they collapse into one affine map. Apply F.relu to hidden's output.",
        "zh": "MLP 的输出是 out(hidden(X))：两层之间缺了 ReLU，两个线性层合成了一个仿射变换。"
        "请对 hidden 的输出使用 F.relu。",
    },
    # ------------------------------------------------------------ MySequential
    "repeats_run_once": {
        "en": "A module given twice ran once: self.children(), set() and dict.fromkeys() "
        "yield a repeated module only once. Loop over self._modules.values(), which keeps "
        "every position.",
        "zh": "传入两次的模块只运行了一次：self.children()、set() 和 dict.fromkeys() 对重复的"
        "模块只给出一次。请遍历保留每个位置的 self._modules.values()。",
    },
    "reversed_order": {
        "en": "MySequential ran its modules in reverse order. Loop over "
        "self._modules.values() as it is: it keeps the order they were given in.",
        "zh": "MySequential 按相反的顺序运行了模块。请直接遍历 self._modules.values()："
        "它保留了模块传入的顺序。",
    },
    "last_module_skipped": {
        "en": "MySequential skipped its last module: the loop stops one short (an off-by-one "
        "range). Loop over every module in self._modules.values().",
        "zh": "MySequential 跳过了最后一个模块：循环少运行了一次（range 差了一）。请遍历 "
        "self._modules.values() 中的每个模块。",
    },
    "returns_inside_loop": {
        "en": "MySequential ran only its first module: `return X` is inside the loop. "
        "Return after the loop ends.",
        "zh": "MySequential 只运行了第一个模块：`return X` 写在了循环里面。请在循环结束之后"
        "再返回。",
    },
    "keyed_by_module": {
        "en": "MySequential keys its children by the module (its class name or str(module)), "
        "not by position: equal keys overwrite each other and modules are lost. Register "
        "each under str(idx).",
        "zh": "MySequential 用模块本身（类名或 str(module)）而不是位置作为子模块的键：相同的键"
        "会互相覆盖，模块就丢了。请以 str(idx) 为键注册每个模块。",
    },
    "not_registered": {
        "en": "MySequential registers no modules: kept in a plain list (or dict), they are "
        "invisible to parameters(), state_dict() and .to(). Register each with "
        "self.add_module(str(idx), module).",
        "zh": "MySequential 没有注册任何模块：放在普通 list（或 dict）里的模块，parameters()、"
        "state_dict() 和 .to() 都看不到。请用 self.add_module(str(idx), module) 注册每个模块。",
    },
    "wrapped_container": {
        "en": "MySequential keeps its modules inside an nn.Sequential or nn.ModuleList "
        "attribute, so every key gets its prefix (net.0.weight). Register each module on "
        "MySequential itself under str(idx).",
        "zh": "MySequential 把模块放在一个 nn.Sequential 或 nn.ModuleList 属性里，每个键都多了"
        "它的前缀（net.0.weight）。请把每个模块以 str(idx) 为键直接注册在 MySequential 上。",
    },
    "subclasses_container": {
        "en": "MySequential subclasses nn.Sequential or nn.ModuleList, which does the work "
        "for it. Subclass nn.Module and write __init__ and forward yourself.",
        "zh": "MySequential 继承了 nn.Sequential 或 nn.ModuleList，由它们代劳。请继承 "
        "nn.Module，自己写 __init__ 和 forward。",
    },
    "takes_a_list": {
        "en": "MySequential(a, b, c) raised TypeError: its __init__ does not take the "
        "modules one by one (it takes a single list, say). Accept them as *modules.",
        "zh": "MySequential(a, b, c) 抛出了 TypeError：它的 __init__ 不接收逐个传入的模块"
        "（例如只接收一个列表）。请用 *modules 接收它们。",
    },
    # ------------------------------------------------------------ FixedHiddenMLP
    "rand_weight_a_parameter": {
        "en": "rand_weight is a parameter (even with requires_grad=False, nn.Parameter is "
        "one). Register it with self.register_buffer.",
        "zh": "rand_weight 是一个参数（nn.Parameter 即使 requires_grad=False 也是参数）。"
        "请用 self.register_buffer 注册它。",
    },
    "second_linear": {
        "en": "FixedHiddenMLP has a second Linear(n, n): the recipe uses one layer twice, "
        "sharing its parameters. Call self.linear both times.",
        "zh": "FixedHiddenMLP 多了第二个 Linear(n, n)：按步骤应当把同一个层用两次，共享参数。"
        "请两次都调用 self.linear。",
    },
    "plain_tensor_attribute": {
        "en": "rand_weight is a plain tensor attribute, no buffer: state_dict(), .to() and "
        ".double() skip it. Register it with self.register_buffer.",
        "zh": "rand_weight 是普通的张量属性，不是缓冲区：state_dict()、.to() 和 .double() "
        "都会跳过它。请用 self.register_buffer 注册它。",
    },
    "not_persistent": {
        "en": "rand_weight is a buffer with persistent=False, so state_dict() leaves it out. "
        "Keep register_buffer's default, persistent=True.",
        "zh": "rand_weight 是 persistent=False 的缓冲区，所以 state_dict() 不包含它。请保持 "
        "register_buffer 的默认值 persistent=True。",
    },
    "rand_weight_requires_grad": {
        "en": "rand_weight requires a gradient: it was drawn with requires_grad=True. A "
        "constant needs none: draw it with plain torch.rand.",
        "zh": "rand_weight 需要梯度：它是用 requires_grad=True 生成的。常量不需要梯度：直接用 "
        "torch.rand 生成。",
    },
    "randn_not_rand": {
        "en": "rand_weight looks drawn from N(0, 1): negative values, mean 0, standard "
        "deviation 1. That is torch.randn; U[0, 1) is torch.rand.",
        "zh": "rand_weight 看起来来自 N(0, 1)：有负值，均值为 0，标准差为 1。那是 torch.randn；"
        "U[0, 1) 要用 torch.rand。",
    },
    "rand_weight_redrawn": {
        "en": "Every entry of rand_weight changed between two forward calls: it is drawn "
        "again in forward. Draw it once, in __init__.",
        "zh": "两次前向传播之间 rand_weight 的每个元素都变了：它在 forward 里被重新采样。请只在 "
        "__init__ 中采样一次。",
    },
    "returns_x_not_sum": {
        "en": "forward returned the halved X itself, not its sum. Return X.sum(), a 0-d tensor.",
        "zh": "forward 返回的是减半后的 X 本身，而不是它的和。请返回 0 维张量 X.sum()。",
    },
    "halves_once": {
        "en": "With linear set so that the loop starts from X = (-6, 0), forward returned -3: "
        "it halved once. The recipe halves until X.abs().sum() <= 1: use `while`, not `if`.",
        "zh": "把 linear 设成让循环从 X = (-6, 0) 开始时，forward 返回了 -3：只减半了一次。"
        "按步骤应不断减半，直到 X.abs().sum() <= 1：请用 `while`，不要用 `if`。",
    },
    "sum_without_abs": {
        "en": "With linear set so that the loop starts from X = (-6, 0), forward returned -6: "
        "a negative sum is never halved. The loop tests X.sum(); test X.abs().sum().",
        "zh": "把 linear 设成让循环从 X = (-6, 0) 开始时，forward 返回了 -6：负的和从不减半。"
        "循环条件用的是 X.sum()；请用 X.abs().sum()。",
    },
    "missing_plus_one": {
        "en": "The output is that of relu(X @ rand_weight), without the + 1. Add 1 inside "
        "the relu.",
        "zh": "输出是按 relu(X @ rand_weight) 计算的，少了 + 1。请在 relu 里加上 1。",
    },
    "mm_two_dims_only": {
        "en": "FixedHiddenMLP failed on an input with more than one batch dimension: "
        "torch.mm takes matrices only. Use X @ self.rand_weight.",
        "zh": "FixedHiddenMLP 在有多个批量维度的输入上出错：torch.mm 只接受矩阵。请用 "
        "X @ self.rand_weight。",
    },
    "halves_at_one": {
        "en": "From a sum of 2, forward returned 0.5: it halved again at exactly 1. Halve "
        "only while X.abs().sum() > 1, strictly greater.",
        "zh": "从和为 2 出发，forward 返回了 0.5：和恰好为 1 时又减半了一次。只在 "
        "X.abs().sum() > 1（严格大于）时减半。",
    },
    # ------------------------------------------------------------ NestMLP and chimera
    "nest_relus_missing": {
        "en": "NestMLP.net holds no ReLU: its Linear layers collapse into one affine map. "
        "Put an nn.ReLU() after each Linear in net.",
        "zh": "NestMLP.net 里没有 ReLU：其中的线性层合成了一个仿射变换。请在 net 中每个 "
        "Linear 之后放一个 nn.ReLU()。",
    },
    "nest_widths": {
        "en": "NestMLP's layers chain 20 -> ... -> 16, but with other hidden widths than "
        "the book's 64, then 32.",
        "zh": "NestMLP 的层从 20 连到 16，但中间宽度不是书中的先 64、后 32。",
    },
    "chimera_no_linear": {
        "en": "chimera() has no nn.Linear(16, 20) between NestMLP() and FixedHiddenMLP(). "
        "Put it there, and keep FixedHiddenMLP() at its default 20 features.",
        "zh": "chimera() 在 NestMLP() 和 FixedHiddenMLP() 之间缺少 nn.Linear(16, 20)。"
        "请把它放在那里，FixedHiddenMLP() 保持默认的 20 个特征。",
    },
    "chimera_order": {
        "en": "chimera() holds the right blocks in the wrong order. The order is NestMLP(), "
        "nn.Linear(16, 20), FixedHiddenMLP().",
        "zh": "chimera() 中的块是对的，但顺序错了。顺序应为 NestMLP()、nn.Linear(16, 20)、"
        "FixedHiddenMLP()。",
    },
}
