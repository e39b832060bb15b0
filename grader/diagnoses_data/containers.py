"""Diagnoses for exercise 8 (containers and module state): test function -> {"en", "zh"}."""

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ LayerStack
    "test_layerstack_registers_its_layers_in_a_modulelist": {
        "en": "LayerStack's layers are not registered as required: a plain Python list "
        "registers nothing, so parameters() and state_dict() miss them; an nn.ReLU inside "
        "the list shifts the names; an nn.Sequential is not the container asked for. Wrap "
        "only the `nn.Linear(widths[i], widths[i + 1])` layers in `nn.ModuleList(...)` and call "
        "`F.relu` in forward.",
        "zh": "LayerStack 的层没有按要求注册：普通的 Python 列表什么也不会注册，"
        "`parameters()` 和 `state_dict()` 都看不到这些层；"
        "在列表里放 `nn.ReLU` 会让参数名错位；`nn.Sequential` 也不是这里要求的容器。请只把 "
        "`nn.Linear(widths[i], widths[i + 1])` 放进 `nn.ModuleList(...)`，"
        "激活函数在 forward 里用 `F.relu`。",
    },
    "test_layerstack_applies_relu_between_layers": {
        "en": "LayerStack's output is not the layers applied in order with a ReLU between "
        "them: the ReLU is missing between layers (the stack collapses to one affine map) or "
        "is applied after the output layer too, or the layers sit in a plain list that "
        "`.to(dtype)` does not convert. Loop over `self.layers` and apply `F.relu` after "
        "every layer except the last.",
        "zh": "LayerStack 的输出不是“依次经过各层、层间加 ReLU”的结果：层与层之间漏了 "
        "ReLU（整个网络退化成一个仿射变换），或者输出层之后也加了 ReLU，"
        "或者层放在普通列表里，`.to(dtype)` 没有转换它们。请遍历 `self.layers`，"
        "除最后一层外每层之后都用一次 `F.relu`。",
    },
    "test_layerstack_has_no_relu_after_the_last_layer": {
        "en": "LayerStack clips its output at zero: a ReLU is applied after the output layer "
        "as well. Apply `F.relu` only after the hidden layers (skip it when "
        "`i == len(self.layers) - 1`), so the last layer's outputs can be negative.",
        "zh": "LayerStack 的输出被截成了非负数：输出层之后也用了 ReLU。"
        "请只在隐藏层之后用 `F.relu`（当 `i == len(self.layers) - 1` 时跳过），"
        "让最后一层的输出可以是负数。",
    },
    "test_layerstack_has_a_relu_after_each_hidden_layer": {
        "en": "LayerStack's hidden layers do not end in exactly one ReLU: either no ReLU is "
        "applied between the layers, or one is applied after the output layer too, which "
        "zeroes the negative outputs. Apply `F.relu` after each layer but the last.",
        "zh": "LayerStack 的隐藏层之后不是恰好一次 ReLU：要么层与层之间根本没有 ReLU，"
        "要么输出层之后也加了 ReLU，把负的输出变成了零。"
        "请在除最后一层外的每一层之后用 `F.relu`。",
    },
    "test_layerstack_moves_and_trains_as_a_whole": {
        "en": "LayerStack's layers are invisible to the module: they are kept in a plain "
        "Python list (or are not attributes at all), so `.to(torch.float64)` skips them and "
        "`parameters()` does not yield them. Store them in `nn.ModuleList`, which registers "
        "each one.",
        "zh": "LayerStack 的层对模块不可见：它们放在普通的 Python 列表里（或根本不是属性），"
        "所以 `.to(torch.float64)` 跳过了它们，`parameters()` 也不给出它们。"
        "请把层存进 `nn.ModuleList`，它会注册每一层。",
    },
    # ------------------------------------------------------------ MultiTaskHead
    "test_multitaskhead_registers_one_head_per_task_in_a_moduledict": {
        "en": "MultiTaskHead.heads is not an nn.ModuleDict of the tasks in the order given: "
        "a plain dict registers no head (no parameters, empty state_dict()), and sorting "
        "the task names changes the order. Build `nn.ModuleDict` from `task_sizes.items()` "
        "as given, one `nn.Linear(num_inputs, size)` per task.",
        "zh": "MultiTaskHead.heads 不是按给定顺序排列各任务的 `nn.ModuleDict`："
        "普通 dict 不会注册任何输出头（没有参数，`state_dict()` 为空），"
        "按名字排序又改变了任务的顺序。请直接按 `task_sizes.items()` 的顺序构造 "
        "`nn.ModuleDict`，每个任务一个 `nn.Linear(num_inputs, size)`。",
    },
    "test_multitaskhead_returns_one_output_per_task": {
        "en": "MultiTaskHead.forward does not return a dict of every task's output in the "
        "order given: the tasks were sorted, a value is not `self.heads[task](X)`, or the "
        "heads sit in a plain dict that `.to(dtype)` does not convert. Keep the heads in an "
        "nn.ModuleDict and return `{task: head(X) ...}` over `self.heads.items()`.",
        "zh": "MultiTaskHead.forward 返回的不是按给定顺序、包含每个任务输出的 dict："
        "任务被排过序，某个值不是 `self.heads[task](X)`，或者输出头放在普通 dict 里，"
        "`.to(dtype)` 没有转换它们。请把输出头放进 `nn.ModuleDict`，"
        "遍历 `self.heads.items()` 返回 `{task: head(X) ...}`。",
    },
    "test_multitaskhead_keeps_the_order_given_and_trains_every_head": {
        "en": "MultiTaskHead reorders the tasks (e.g. `sorted(task_sizes)`) or leaves a head "
        "untrained or unconverted. Keep the dict's own order, do not sort, and register "
        "every head in the nn.ModuleDict so it gets gradients and follows `.to()`.",
        "zh": "MultiTaskHead 改变了任务的顺序（比如用了 `sorted(task_sizes)`），"
        "或者有输出头得不到梯度、没被 `.to()` 转换。请保持 dict 本来的顺序，不要排序，"
        "并把每个输出头都注册在 `nn.ModuleDict` 里，这样它才有梯度、也会随 `.to()` 转换。",
    },
    # ------------------------------------------------------------ ResidualBlock
    "test_residualblock_holds_linear_relu_linear": {
        "en": "ResidualBlock.net is not `nn.Sequential(nn.Linear(n, n), nn.ReLU(), "
        "nn.Linear(n, n))`: the ReLU module is missing (applied with F.relu instead), a "
        "layer has the wrong width, or the layers are separate attributes, which changes "
        "the state_dict keys. Put exactly these three modules, in this order, in "
        "`self.net`, and add no other parameters.",
        "zh": "ResidualBlock.net 不是 `nn.Sequential(nn.Linear(n, n), nn.ReLU(), "
        "nn.Linear(n, n))`：缺了 `nn.ReLU()` 模块（改用了 `F.relu`），某层宽度不对，"
        "或者各层是单独的属性，`state_dict` 的键因此变了。请把这三个模块按这个顺序放进 "
        "`self.net`，不要再添加别的参数。",
    },
    "test_residualblock_adds_the_input_before_the_relu": {
        "en": "ResidualBlock.forward is not `relu(X + net(X))`: the skip connection is "
        "missing (`relu(net(X))`) or the ReLU is applied before the addition "
        "(`X + relu(net(X))`). Add the input to `self.net(X)` first, then apply `F.relu` "
        "to the sum.",
        "zh": "ResidualBlock.forward 算的不是 `relu(X + net(X))`：漏了跳跃连接"
        "（算成了 `relu(net(X))`），或者先做 ReLU 再相加（`X + relu(net(X))`）。"
        "请先把输入加到 `self.net(X)` 上，再对和用 `F.relu`。",
    },
    "test_residualblock_with_a_zero_net_is_relu_of_its_input": {
        "en": "With net's parameters all zero the block does not return relu(X): the skip "
        "connection is missing (the output is then 0) or the ReLU comes before the addition "
        "(negative inputs pass through). Add X to `self.net(X)`, then apply `F.relu` to the "
        "sum.",
        "zh": "net 的参数全为零时残差块没有返回 relu(X)：漏了跳跃连接（输出全为 0），"
        "或者 ReLU 放在了相加之前（负的输入原样通过）。"
        "请先把 X 加到 `self.net(X)` 上，再对和用 `F.relu`。",
    },
    "test_residualblock_gradient_flows_through_the_skip_and_the_net": {
        "en": "The gradient does not flow through the skip connection: the input is added as "
        "`X.detach()` (or `X.data`), the skip is missing, or the ReLU is applied before "
        "the addition. Add `X` itself, not a detached copy, and apply the ReLU to "
        "`X + self.net(X)`.",
        "zh": "梯度没有经跳跃连接传回输入：加上去的是 `X.detach()`（或 `X.data`），"
        "或者漏了跳跃连接，或者 ReLU 放在了相加之前。请加上 `X` 本身，"
        "不要加分离出来的副本，再对 `X + self.net(X)` 用 ReLU。",
    },
    # ------------------------------------------------------------ RunningMean
    "test_runningmean_state_is_two_buffers_and_no_parameters": {
        "en": "RunningMean's state is wrong: mean is an nn.Parameter (an optimiser would "
        "train it) or a plain tensor attribute, num_batches is a Python int, a buffer has "
        "the wrong shape or dtype, or eval mode updated the statistics. Use "
        "`self.register_buffer` for `mean` (zeros) then `num_batches` "
        "(`torch.tensor(0, dtype=torch.long)`), and update only when `self.training`.",
        "zh": "RunningMean 的状态不对：`mean` 是 `nn.Parameter`（优化器会去训练它）"
        "或普通的张量属性，`num_batches` 是 Python 整数，缓冲区的形状或 dtype 不对，"
        "或者在评估模式下也更新了统计量。请用 `self.register_buffer` 依次注册 `mean`"
        "（全零）和 `num_batches`（`torch.tensor(0, dtype=torch.long)`），"
        "并且只在 `self.training` 为真时更新。",
    },
    "test_runningmean_updates_in_training_mode": {
        "en": "The running mean or the output is wrong in training mode: the batch mean is "
        "taken over the first dimension only (wrong for inputs with more leading dims), X "
        "minus the old mean is returned, or mean is a plain tensor that `.to(dtype)` does "
        "not convert. Average X over all dims but the last (`X.reshape(-1, X.shape[-1])`), "
        "update the buffer first, then return `X - self.mean`.",
        "zh": "训练模式下的移动平均或输出不对：批量均值只在第一个维度上求"
        "（输入有多个前导维度时就错了），"
        "返回的是 X 减去更新前的均值，或者 `mean` 是普通张量，`.to(dtype)` 没有转换它。"
        "请在除最后一维外的所有维度上求均值（`X.reshape(-1, X.shape[-1])`），"
        "先更新缓冲区，再返回 `X - self.mean`。",
    },
    "test_runningmean_in_eval_mode_only_uses_the_stored_mean": {
        "en": "RunningMean misbehaves in eval mode: it still updates mean or num_batches, or "
        "its state_dict() lacks them because they are a plain tensor attribute or a Python "
        "int. Register both with `register_buffer` and wrap the update in "
        "`if self.training:`; in eval mode just return `X - self.mean`.",
        "zh": "RunningMean 在评估模式下出错：仍在更新 `mean` 或 `num_batches`，"
        "或者 `state_dict()` 里没有它们，因为它们是普通张量属性或 Python 整数。"
        "请用 `register_buffer` 注册这两个缓冲区，把更新放在 `if self.training:` 里；"
        "评估模式下只返回 `X - self.mean`。",
    },
    "test_runningmean_records_no_gradient_into_its_buffers": {
        "en": "The mean buffer joins the autograd graph: it is updated outside "
        "`torch.no_grad()`, so it gets a grad_fn and the next backward() runs through the "
        "previous batch's graph. Do the update inside `with torch.no_grad():` (e.g. in place "
        "with `mul_`/`add_`), and return `X - self.mean`.",
        "zh": "`mean` 缓冲区进入了计算图：它在 `torch.no_grad()` 之外更新，"
        "于是带上了 `grad_fn`，下一次 `backward()` 会穿过上一个批量的计算图。"
        "请在 `with torch.no_grad():` 中更新（比如用 `mul_`/`add_` 原地更新），"
        "再返回 `X - self.mean`。",
    },
    "test_runningmean_state_moves_and_round_trips": {
        "en": "RunningMean's state does not follow `.to()` or `load_state_dict()`: mean is "
        "a plain tensor attribute or num_batches a Python int, which the module neither "
        "moves nor saves. Register both with `self.register_buffer` (num_batches as a 0-d "
        "int64 tensor).",
        "zh": "RunningMean 的状态不随 `.to()` 转换，也无法经 `load_state_dict()` 恢复："
        "`mean` 是普通张量属性或 `num_batches` 是 Python 整数，模块既不移动也不保存它们。"
        "请用 `self.register_buffer` 注册两者（`num_batches` 是 0 维 int64 张量）。",
    },
    # ------------------------------------------------------------ predict
    "test_predict_computes_in_eval_mode": {
        "en": "predict does not compute in eval mode: without `net.eval()` dropout stays on "
        "and batch norm normalises with the batch's statistics. Call `net.eval()` before "
        "`net(X)` (and restore the previous mode afterwards).",
        "zh": "predict 不是在评估模式下计算的：没有调用 `net.eval()`，暂退法仍然生效，"
        "批量规范化用的也是当前批量的统计量。请在 `net(X)` 之前调用 `net.eval()`"
        "（之后再恢复原来的模式）。",
    },
    "test_predict_changes_no_state": {
        "en": "predict changed the net's buffers: in training mode batch norm updates its "
        "running statistics on every call. Switch to eval mode with `net.eval()` before "
        "calling `net(X)`.",
        "zh": "predict 改变了网络的缓冲区：在训练模式下，"
        "批量规范化每次调用都会更新移动平均的统计量。"
        "请在调用 `net(X)` 之前用 `net.eval()` 切换到评估模式。",
    },
    "test_predict_restores_the_previous_mode": {
        "en": "predict leaves the net in another mode than it found it: it never switches "
        "back after `net.eval()`, or it always ends with `net.train()`, which puts a net "
        "that was in eval mode into training mode. Remember what `net.training` was "
        "before `net.eval()`, and give it back with `net.train(...)` in a `finally` block.",
        "zh": "predict 没有让网络回到调用前的模式：`net.eval()` 之后再也没切回去，"
        "或者总是以 `net.train()` 结束，把原本处于评估模式的网络变成了训练模式。"
        "请在 `net.eval()` 之前记下 `net.training` 的值，再在 `finally` 块里用 "
        "`net.train(...)` 把它恢复。",
    },
    "test_predict_records_no_gradient": {
        "en": "predict's result requires grad, or gradient recording stays off after the "
        "call: `torch.no_grad()` is missing, or it was switched off globally with "
        "`torch.set_grad_enabled(False)` and never switched back. Compute "
        "`net(X)` inside a `with torch.no_grad():` block, which restores the caller's "
        "gradient mode by itself.",
        "zh": "predict 的结果需要梯度，或者调用之后梯度记录仍是关闭的：漏了 "
        "`torch.no_grad()`，或者用 `torch.set_grad_enabled(False)` 全局关闭后没有再打开。"
        "请在 `with torch.no_grad():` 块中计算 `net(X)`，它会自动恢复调用者的梯度模式。",
    },
    "test_predict_restores_the_mode_when_forward_raises": {
        "en": "When `net(X)` raises, predict leaves the net in the wrong mode: the mode is "
        "restored only after a successful forward (or never, or always to training mode). "
        "Put `return net(X)` in a `try` block and `net.train(was_training)` in its "
        "`finally`, so the mode comes back and the exception still reaches the caller.",
        "zh": "`net(X)` 抛出异常时，predict 让网络停留在错误的模式：只有前向传播成功后才恢复模式"
        "（或者从不恢复，或者总是恢复成训练模式）。请把 `return net(X)` 放进 `try` 块，"
        "把 `net.train(was_training)` 放进对应的 `finally` 块，"
        "这样模式会恢复，异常也仍会传给调用者。",
    },
    "test_runningmean_momentum_defaults_to_0_1": {
        "en": "RunningMean's default momentum is not 0.1: keep `momentum=0.1` in the "
        "signature, as BatchNorm's default, and use it as the weight of the new batch mean "
        "(`mean = (1 - momentum) * mean + momentum * batch_mean`).",
        "zh": "RunningMean 的默认 momentum 不是 0.1：签名中保留 `momentum=0.1`（与 BatchNorm 的"
        "默认值相同），并把它作为新批量均值的权重（`mean = (1 - momentum) * mean + momentum * "
        "batch_mean`）。",
    },
}
