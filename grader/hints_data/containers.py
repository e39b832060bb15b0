"""Progressive hints for exercise 8 (containers and module state): contract name ->
{"en": [...], "zh": [...]}."""

HINTS: dict[str, dict[str, list[str]]] = {
    "LayerStack": {
        "en": [
            "PyTorch only trains, saves and moves the modules it has registered, and a plain "
            "Python list registers nothing. Read 'Layers and Modules' in d2l (and this "
            "exercise's README, 'The idea') on how blocks find their children.",
            "Use the container made for a variable number of layers: `nn.ModuleList`. Put only "
            "the `nn.Linear` layers in it, no `nn.ReLU` modules, so the parameter names read "
            "`layers.0.weight`, `layers.1.weight`, ...",
            "Layer i maps `widths[i]` to `widths[i + 1]`: pairing each width with the next "
            "(`zip` of the list without its last entry and without its first) gives exactly "
            "`len(widths) - 1` layers.",
            "In `forward`, loop over `self.layers` with `enumerate` so you know the index: "
            "call the layer, then `F.relu` on the result unless this is the last layer (index "
            "`len(widths) - 2`); return what comes out of the last one.",
        ],
        "zh": [
            "PyTorch 只训练、保存和移动已注册的模块，而普通的 Python 列表什么也不会注册。"
            "请读 d2l 的“层和块”一节（以及本练习 README 的“概念”部分），"
            "看看块是如何找到它的子模块的。",
            "层数可变时要用专门的容器：`nn.ModuleList`。里面只放 `nn.Linear` 层，"
            "不要放 `nn.ReLU` 模块，这样参数名才会是 `layers.0.weight`、`layers.1.weight`……",
            "第 i 层把 `widths[i]` 映射到 `widths[i + 1]`：把每个宽度与下一个配对"
            "（对去掉最后一项的列表和去掉第一项的列表做 `zip`），恰好得到 `len(widths) - 1` 层。",
            "在 `forward` 里用 `enumerate` 遍历 `self.layers`，以便知道下标："
            "先调用这一层，如果不是最后一层（下标 `len(widths) - 2`）就对结果用 `F.relu`；"
            "返回最后一层的输出。",
        ],
    },
    "MultiTaskHead": {
        "en": [
            "Several output layers (heads) share one input, each under a task name. A plain "
            "dict of layers registers nothing; see 'Layers and Modules' in d2l and the "
            "README's worked example for the container keyed by strings.",
            "Use `nn.ModuleDict`: it registers each module under its key, keeps the insertion "
            "order, and makes the parameter names `heads.<task>.weight`.",
            "Build it from `task_sizes.items()` as given (do not sort the names): task -> "
            "`nn.Linear(num_inputs, size)`.",
            "`forward` returns a plain Python `dict`, built by iterating over "
            "`self.heads.items()` and calling each head on the same `X`: the keys come out in "
            "the order the tasks were given.",
        ],
        "zh": [
            "几个输出层（输出头）共用同一个输入，每个对应一个任务名。"
            "普通的 dict 不会注册其中的层；请读 d2l 的“层和块”一节，"
            "并看 README 示例中以字符串为键的容器。",
            "用 `nn.ModuleDict`：它以键注册每个模块，保持插入顺序，"
            "参数名就成了 `heads.<task>.weight`。",
            "按给定的顺序用 `task_sizes.items()` 来构造它（不要给名字排序）："
            "任务 -> `nn.Linear(num_inputs, size)`。",
            "`forward` 返回一个普通的 Python `dict`：遍历 `self.heads.items()`，"
            "对同一个 `X` 调用每个输出头；键的顺序就是任务给出的顺序。",
        ],
    },
    "ResidualBlock": {
        "en": [
            "A residual block adds its input back to what its layers compute, so the layers "
            "only learn a correction. Read 'Residual Networks (ResNet)' in d2l, the residual "
            "block figure.",
            "`self.net` is an `nn.Sequential` of three modules: a square `nn.Linear` "
            "(`num_features` in and out), an `nn.ReLU()` module, and another square "
            "`nn.Linear`. The block keeps no other parameters.",
            "The order matters: first the sum `X + self.net(X)` (the skip connection), then "
            "the activation on that sum, not `X + relu(...)`.",
            "Add `X` itself, not `X.detach()` or `X.data`, so the gradient also flows along "
            "the skip connection; apply `F.relu` to the sum and return it.",
        ],
        "zh": [
            "残差块把输入加回到各层的计算结果上，于是这些层只需学习一个修正量。"
            "请读 d2l 的“残差网络（ResNet）”一节中的残差块示意图。",
            "`self.net` 是由三个模块组成的 `nn.Sequential`：一个方形的 `nn.Linear`"
            "（输入输出都是 `num_features`）、一个 `nn.ReLU()` 模块、再一个方形的 `nn.Linear`。"
            "残差块不保存别的参数。",
            "顺序很重要：先求和 `X + self.net(X)`（跳跃连接），再对这个和做激活，"
            "而不是 `X + relu(...)`。",
            "加上的是 `X` 本身，不是 `X.detach()` 或 `X.data`，这样梯度也能沿跳跃连接传回；"
            "对和用 `F.relu` 后返回。",
        ],
    },
    "RunningMean": {
        "en": [
            "The running mean is state that is not learnt, like batch norm's running "
            "statistics: a buffer, not a parameter. Read 'Batch Normalization' in d2l "
            "(the implementation from scratch) and the README's buffers example.",
            "In `__init__`, call `self.register_buffer(name, tensor)` twice, `mean` first: "
            "zeros of length `num_features`, then a 0-d `torch.int64` counter equal to 0 "
            "(batch norm's `num_batches_tracked` is one).",
            "In `forward`, only when `self.training`: average X over every dimension but the "
            "last (flatten the leading ones with `reshape(-1, X.shape[-1])`), blend it into "
            "the mean with weights `1 - momentum` and `momentum`, and add one to the counter.",
            "Wrap that update in a `torch.no_grad()` block (in-place `mul_` and `add_` keep "
            "the buffer the same tensor); then, in both modes, subtract the current "
            "`self.mean` from X and return the difference.",
        ],
        "zh": [
            "移动平均均值是不参与学习的状态，就像批量规范化的移动平均统计量："
            "它是缓冲区，不是参数。请读 d2l 的“批量规范化”一节（从零实现部分），"
            "以及 README 中关于缓冲区的示例。",
            "在 `__init__` 里调用两次 `self.register_buffer(name, tensor)`，先注册 `mean`："
            "长度为 `num_features` 的全零张量，再注册一个等于 0 的 0 维 `torch.int64` 计数器"
            "（批量规范化的 `num_batches_tracked` 就是这样的计数器）。",
            "在 `forward` 里，仅当 `self.training` 为真时：在除最后一维外的所有维度上对 X 求均值"
            "（用 `reshape(-1, X.shape[-1])` 把前导维度展平），按权重 `1 - momentum` 和 "
            "`momentum` 混入均值，并把计数器加一。",
            "把这次更新放进 `torch.no_grad()` 块中"
            "（用原地的 `mul_` 和 `add_`，缓冲区仍是同一个张量）；"
            "然后无论哪种模式，都从 X 中减去当前的 `self.mean` 并返回。",
        ],
    },
    "predict": {
        "en": [
            "A prediction needs two switches: eval mode changes what dropout and batch norm "
            "compute, `torch.no_grad()` stops autograd recording. Read 'Dropout' and 'Batch "
            "Normalization' in d2l, and the README's section on the two modes.",
            "`net.eval()` sets `training = False` on every submodule; `net.training` tells you "
            "the mode the caller left the net in. Keep that flag in a local variable before "
            "switching.",
            "Compute `net(X)` inside a `torch.no_grad()` block: it restores the caller's "
            "gradient mode by itself when it exits.",
            "Put the call in `try` and the restoring in `finally`: `net.train(...)` with the "
            "flag you saved, so the mode comes back even when forward raises, and the "
            "exception still reaches the caller.",
        ],
        "zh": [
            "预测需要两个开关：评估模式改变暂退法和批量规范化的计算方式，"
            "`torch.no_grad()` 让自动微分停止记录。请读 d2l 的“暂退法（Dropout）”和"
            "“批量规范化”两节，以及 README 中关于两种模式的部分。",
            "`net.eval()` 会把每个子模块的 `training` 设为 False；`net.training` "
            "告诉你调用者让网络处于哪种模式。切换之前先把这个标志存进一个局部变量。",
            "在 `torch.no_grad()` 块中计算 `net(X)`：退出时它会自动恢复调用者的梯度模式。",
            "把调用放进 `try`，把恢复放进 `finally`：用保存的标志调用 `net.train(...)`，"
            "这样即使前向传播抛出异常模式也会恢复，异常也仍会传给调用者。",
        ],
    },
}
