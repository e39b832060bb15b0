"""Exercise 8 (containers and module state): what each check checks, and the mistakes
whose signatures its verdicts recognise (grader/diagnoses.py)."""

CHECKS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ LayerStack
    "test_layerstack_registers_its_layers_in_a_modulelist": {
        "en": "LayerStack(widths).layers is an nn.ModuleList of exactly the Linear layers "
        "widths[i] -> widths[i + 1], registered as layers.0, layers.1, ...",
        "zh": "LayerStack(widths).layers 是一个 nn.ModuleList，其中恰好是各个 Linear 层 "
        "widths[i] -> widths[i + 1]，注册名为 layers.0、layers.1……",
    },
    "test_layerstack_applies_relu_between_layers": {
        "en": "LayerStack's output is its layers applied in order, with a ReLU after every "
        "layer but the last, for any float dtype and any leading dimensions.",
        "zh": "LayerStack 的输出是依次经过各层的结果，除最后一层外每层之后都有一个 ReLU；"
        "输入可以是任意浮点类型，可以有任意多个前导维度。",
    },
    "test_layerstack_has_no_relu_after_the_last_layer": {
        "en": "LayerStack's last layer has no activation: its outputs can be negative.",
        "zh": "LayerStack 的最后一层没有激活函数：它的输出可以是负数。",
    },
    "test_layerstack_has_a_relu_after_each_hidden_layer": {
        "en": "A hidden layer's output goes through a ReLU before the next layer.",
        "zh": "隐藏层的输出先经过 ReLU，再进入下一层。",
    },
    "test_layerstack_moves_and_trains_as_a_whole": {
        "en": "`.to(torch.float64)` converts every layer of LayerStack, parameters() yields "
        "all of them, and backward reaches each one.",
        "zh": "`.to(torch.float64)` 会转换 LayerStack 的每一层，`parameters()` 给出全部参数，"
        "反向传播能到达每一层。",
    },
    # ------------------------------------------------------------ MultiTaskHead
    "test_multitaskhead_registers_one_head_per_task_in_a_moduledict": {
        "en": "MultiTaskHead.heads is an nn.ModuleDict with one nn.Linear(num_inputs, size) "
        "per task, in the order given.",
        "zh": "MultiTaskHead.heads 是一个 nn.ModuleDict，按给定顺序为每个任务放一个 "
        "nn.Linear(num_inputs, size)。",
    },
    "test_multitaskhead_returns_one_output_per_task": {
        "en": "MultiTaskHead's forward returns a dict, in the order given, of each task's "
        "head applied to X, for any float dtype.",
        "zh": "MultiTaskHead 的 forward 按给定顺序返回一个 dict，值为每个任务的输出头作用于 X "
        "的结果；输入可以是任意浮点类型。",
    },
    "test_multitaskhead_keeps_the_order_given_and_trains_every_head": {
        "en": "MultiTaskHead keeps the tasks in the order given, every head gets a gradient, "
        "and `.to()` converts every head.",
        "zh": "MultiTaskHead 保持任务的给定顺序，每个输出头都能得到梯度，"
        "`.to()` 会转换每个输出头。",
    },
    # ------------------------------------------------------------ ResidualBlock
    "test_residualblock_holds_linear_relu_linear": {
        "en": "ResidualBlock.net is nn.Sequential(nn.Linear(n, n), nn.ReLU(), "
        "nn.Linear(n, n)), and the block has no other parameters.",
        "zh": "ResidualBlock.net 是 nn.Sequential(nn.Linear(n, n), nn.ReLU(), "
        "nn.Linear(n, n))，残差块没有别的参数。",
    },
    "test_residualblock_adds_the_input_before_the_relu": {
        "en": "ResidualBlock's output is relu(X + net(X)).",
        "zh": "ResidualBlock 的输出等于 relu(X + net(X))。",
    },
    "test_residualblock_with_a_zero_net_is_relu_of_its_input": {
        "en": "With net's parameters all zero, ResidualBlock returns relu(X).",
        "zh": "当 net 的参数全为零时，ResidualBlock 返回 relu(X)。",
    },
    "test_residualblock_gradient_flows_through_the_skip_and_the_net": {
        "en": "The gradient reaches the input through the skip connection, and every "
        "parameter of net gets one.",
        "zh": "梯度经跳跃连接传回输入，net 的每个参数也都得到梯度。",
    },
    # ------------------------------------------------------------ RunningMean
    "test_runningmean_state_is_two_buffers_and_no_parameters": {
        "en": "A new RunningMean(n) has no parameters and two buffers: mean (n zeros) and "
        "num_batches (a 0-d int64 tensor, 0).",
        "zh": "新建的 RunningMean(n) 没有参数，只有两个缓冲区：mean（n 个零）和 num_batches"
        "（0 维 int64 张量，值为 0）。",
    },
    "test_runningmean_updates_in_training_mode": {
        "en": "In training mode each batch updates mean = (1 - momentum) * mean + momentum "
        "* (X averaged over all leading dims), counts the batch, and returns X - mean.",
        "zh": "训练模式下每个批量都更新 mean = (1 - momentum) * mean + momentum * "
        "（X 在所有前导维度上的均值），计数加一，并返回 X - mean。",
    },
    "test_runningmean_momentum_defaults_to_0_1": {
        "en": "RunningMean's momentum defaults to 0.1.",
        "zh": "RunningMean 的 momentum 默认为 0.1。",
    },
    "test_runningmean_in_eval_mode_only_uses_the_stored_mean": {
        "en": "In eval mode RunningMean changes neither buffer and returns X minus the "
        "stored mean.",
        "zh": "评估模式下 RunningMean 不改变任何缓冲区，只返回 X 减去已存的均值。",
    },
    "test_runningmean_records_no_gradient_into_its_buffers": {
        "en": "Updating the mean records no autograd graph, and the gradient of X - mean "
        "with respect to X is 1.",
        "zh": "更新均值时不记录计算图，X - mean 对 X 的梯度为 1。",
    },
    "test_runningmean_state_moves_and_round_trips": {
        "en": "RunningMean's buffers follow `.double()` and `.to('meta')`, and "
        "load_state_dict() restores them.",
        "zh": "RunningMean 的缓冲区会随 `.double()` 和 `.to('meta')` 转换，"
        "`load_state_dict()` 能恢复它们。",
    },
    # ------------------------------------------------------------ predict
    "test_predict_computes_in_eval_mode": {
        "en": "predict(net, X) gives net's eval-mode output: dropout off, batch norm's "
        "running statistics.",
        "zh": "predict(net, X) 给出网络在评估模式下的输出：暂退法关闭，批量规范化使用移动平均的"
        "统计量。",
    },
    "test_predict_changes_no_state": {
        "en": "predict changes none of the net's parameters or buffers.",
        "zh": "predict 不改变网络的任何参数或缓冲区。",
    },
    "test_predict_restores_the_previous_mode": {
        "en": "After predict every module of the net is back in the mode it was in before.",
        "zh": "predict 之后，网络的每个模块都回到调用之前的模式。",
    },
    "test_predict_records_no_gradient": {
        "en": "predict's result does not require grad, and gradient recording is on again "
        "after the call.",
        "zh": "predict 的结果不需要梯度，调用之后梯度记录仍是打开的。",
    },
    "test_predict_restores_the_mode_when_forward_raises": {
        "en": "When net(X) raises, the exception reaches the caller and the net is back in "
        "its previous mode.",
        "zh": "`net(X)` 抛出异常时，异常会传给调用者，网络也回到原来的模式。",
    },
}

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ LayerStack
    "layers_not_registered": {
        "en": "LayerStack's layers sit in a plain Python list, and the stack has no "
        "parameters at all. A list registers nothing: parameters(), state_dict() and "
        "`.to()` do not see the layers. Wrap them in `nn.ModuleList(...)`.",
        "zh": "LayerStack 的层放在普通的 Python 列表里，整个网络一个参数也没有。列表不会注册"
        "任何东西：`parameters()`、`state_dict()` 和 `.to()` 都看不到这些层。"
        "请用 `nn.ModuleList(...)` 包装它们。",
    },
    "relu_after_the_output": {
        "en": "LayerStack's output is the right one with a ReLU on top: the last layer has "
        "an activation too, so no output can be negative. Apply `F.relu` after every layer "
        "but the last.",
        "zh": "LayerStack 的输出等于正确结果再套一层 ReLU：最后一层也用了激活函数，"
        "所以输出不可能为负。请只在除最后一层外的每层之后用 `F.relu`。",
    },
    "no_relu_between": {
        "en": "LayerStack's output is the layers applied with no ReLU at all: the stack "
        "collapses to one affine map. Apply `F.relu` after every layer but the last.",
        "zh": "LayerStack 的输出是各层直接相继作用、完全没有 ReLU 的结果：整个网络退化成"
        "一个仿射变换。请在除最后一层外的每层之后用 `F.relu`。",
    },
    # ------------------------------------------------------------ MultiTaskHead
    "heads_not_registered": {
        "en": "MultiTaskHead.heads is a plain dict, and the model has no parameters: a dict "
        "registers no head, so parameters(), state_dict() and `.to()` miss them. Use "
        "`nn.ModuleDict`.",
        "zh": "MultiTaskHead.heads 是普通的 dict，模型一个参数也没有：dict 不会注册输出头，"
        "`parameters()`、`state_dict()` 和 `.to()` 都看不到它们。请用 `nn.ModuleDict`。",
    },
    "tasks_sorted": {
        "en": "The tasks come out sorted by name, not in the order given. Do not sort: a "
        "dict, and `nn.ModuleDict`, keep the order in which the tasks were given.",
        "zh": "任务按名字排好了序，而不是按给定的顺序。请不要排序：dict 和 `nn.ModuleDict` "
        "本身就保持任务给出时的顺序。",
    },
    # ------------------------------------------------------------ ResidualBlock
    "no_skip": {
        "en": "ResidualBlock returns relu(net(X)): the skip connection is missing. Add the "
        "input to `self.net(X)`, then apply the ReLU to the sum.",
        "zh": "ResidualBlock 返回的是 relu(net(X))：漏了跳跃连接。请先把输入加到 "
        "`self.net(X)` 上，再对和用 ReLU。",
    },
    "relu_before_the_addition": {
        "en": "ResidualBlock returns X + relu(net(X)): the ReLU comes before the addition. "
        "Add X first, then apply the ReLU to the sum: relu(X + net(X)).",
        "zh": "ResidualBlock 返回的是 X + relu(net(X))：ReLU 放在了相加之前。"
        "请先加上 X，再对和用 ReLU：relu(X + net(X))。",
    },
    "skip_detached": {
        "en": "The block's output is right, but no gradient flows through the skip "
        "connection: the input is added detached (`X.detach()` or `X.data`). Add `X` itself.",
        "zh": "残差块的输出是对的，但没有梯度经跳跃连接传回：加上去的输入已被分离"
        "（`X.detach()` 或 `X.data`）。请加上 `X` 本身。",
    },
    # ------------------------------------------------------------ RunningMean
    "mean_a_parameter": {
        "en": "mean is an nn.Parameter: an optimiser would train the statistic. Register it "
        "with `self.register_buffer`.",
        "zh": "mean 是一个 `nn.Parameter`：优化器会去训练这个统计量。"
        "请用 `self.register_buffer` 注册它。",
    },
    "mean_not_a_buffer": {
        "en": "mean is a plain tensor attribute, not a buffer: state_dict() leaves it out "
        "and `.to()` does not convert it. Register it with `self.register_buffer`.",
        "zh": "mean 是普通的张量属性，不是缓冲区：`state_dict()` 不包含它，`.to()` 也不转换它。"
        "请用 `self.register_buffer` 注册它。",
    },
    "count_not_a_buffer": {
        "en": "num_batches is a Python int: state_dict() does not save it and `.to()` does "
        "not move it. Register it as a buffer: `torch.tensor(0, dtype=torch.long)`.",
        "zh": "num_batches 是 Python 整数：`state_dict()` 不保存它，`.to()` 也不移动它。"
        "请把它注册为缓冲区：`torch.tensor(0, dtype=torch.long)`。",
    },
    "updates_in_eval": {
        "en": "RunningMean counted a batch it saw in eval mode: it updates its statistics "
        "in eval mode too. Update only when `self.training` is true.",
        "zh": "RunningMean 把评估模式下看到的批量也计了数：它在评估模式下也更新统计量。"
        "请只在 `self.training` 为真时更新。",
    },
    "mean_over_the_first_dim": {
        "en": "The running mean is what `X.mean(dim=0)` gives: that averages over the first "
        "dimension only. Average over all dims but the last: "
        "`X.reshape(-1, X.shape[-1]).mean(dim=0)`.",
        "zh": "移动平均等于用 `X.mean(dim=0)` 得到的结果：它只在第一个维度上求平均。"
        "请在除最后一维外的所有维度上求平均：`X.reshape(-1, X.shape[-1]).mean(dim=0)`。",
    },
    "old_mean": {
        "en": "The output is X minus the mean from before this batch's update. Update the "
        "buffer first, then return `X - self.mean`.",
        "zh": "输出是 X 减去本批量更新之前的均值。请先更新缓冲区，再返回 `X - self.mean`。",
    },
    "other_default_momentum": {
        "en": "RunningMean(2) moved its mean towards the batch mean by another fraction than "
        "0.1. Default `momentum=0.1`, as BatchNorm does, and weigh the new batch mean by "
        "it: `(1 - momentum) * mean + momentum * batch_mean`.",
        "zh": "RunningMean(2) 把均值向批量均值移动的比例不是 0.1。请像 BatchNorm 一样默认 "
        "`momentum=0.1`，并用它作为新批量均值的权重：`(1 - momentum) * mean + momentum * "
        "batch_mean`。",
    },
    "update_in_the_graph": {
        "en": "The mean buffer got a grad_fn: it was updated outside `torch.no_grad()`, so "
        "it holds this batch's graph. Update it inside `with torch.no_grad():`.",
        "zh": "mean 缓冲区带上了 `grad_fn`：它是在 `torch.no_grad()` 之外更新的，"
        "于是保存了这个批量的计算图。请在 `with torch.no_grad():` 中更新它。",
    },
    # ------------------------------------------------------------ predict
    "computes_in_training_mode": {
        "en": "The net ran in training mode inside predict: dropout stays on and batch norm "
        "updates its statistics. Call `net.eval()` before `net(X)`.",
        "zh": "在 predict 中网络是以训练模式运行的：暂退法仍然生效，批量规范化还会更新统计量。"
        "请在 `net(X)` 之前调用 `net.eval()`。",
    },
    "always_back_to_training": {
        "en": "A net in eval mode came back from predict in training mode: predict ends with "
        "`net.train()`. Remember `net.training` first and restore that.",
        "zh": "处于评估模式的网络经过 predict 之后变成了训练模式：predict 最后调用了 "
        "`net.train()`。请先记下 `net.training`，最后恢复成这个值。",
    },
    "left_in_eval_mode": {
        "en": "A net in training mode came back from predict in eval mode: predict never "
        "switches back. Remember `net.training` and restore it with `net.train(...)`.",
        "zh": "处于训练模式的网络经过 predict 之后停留在评估模式：predict 没有切换回去。"
        "请记下 `net.training`，再用 `net.train(...)` 恢复。",
    },
    "restored_only_after_success": {
        "en": "predict restores the mode when forward succeeds, but not when it raises. "
        "Restore it in a `finally` block.",
        "zh": "前向传播成功时 predict 会恢复模式，抛出异常时却不会。请在 `finally` 块中恢复。",
    },
    "records_a_graph": {
        "en": "predict's result requires grad: forward ran with gradient recording on. "
        "Compute `net(X)` inside `with torch.no_grad():`.",
        "zh": "predict 的结果需要梯度：前向传播时梯度记录是打开的。"
        "请在 `with torch.no_grad():` 中计算 `net(X)`。",
    },
}
