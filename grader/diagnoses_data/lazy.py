"""Diagnoses for exercise 4 (lazy initialisation): test function -> {"en", "zh"}."""

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ lazy_mlp
    "test_lazy_mlp_is_lazylinear_relu_lazylinear": {
        "en": "lazy_mlp must return an nn.Sequential of exactly three modules: "
        "`nn.LazyLinear(num_hiddens)`, `nn.ReLU()`, `nn.LazyLinear(num_outputs)`: lazy "
        "layers, not nn.Linear with a guessed input size; the ReLU between them; and the "
        "arguments, not the book's 256 and 10.",
        "zh": "lazy_mlp 必须返回恰好由三个模块组成的 nn.Sequential：`nn.LazyLinear(num_hiddens)`、"
        "`nn.ReLU()`、`nn.LazyLinear(num_outputs)`。要用惰性层，而不是猜一个输入大小的 "
        "nn.Linear；两层之间要有 ReLU；大小用参数，不要照抄书中的 256 和 10。",
    },
    "test_lazy_mlp_parameters_start_uninitialised": {
        "en": "Some of lazy_mlp's parameters have shapes before any forward pass: build both "
        "layers with `nn.LazyLinear(out_features)`, giving no input size anywhere (not "
        "nn.Linear(20, ...)), and don't run a forward pass or materialize inside lazy_mlp: "
        "the first batch must decide the shapes.",
        "zh": "lazy_mlp 的部分参数在任何前向传播之前就已有形状：两个层都用 "
        "`nn.LazyLinear(out_features)` 构造，任何地方都不给出输入大小（不要写 "
        "nn.Linear(20, ...)），也不要在 lazy_mlp 内部做前向传播或调用 materialize："
        "参数形状应由第一个批量决定（延后初始化）。",
    },
    "test_lazy_mlp_defaults_match_the_book": {
        "en": "lazy_mlp() should default to the book's sizes: keep `num_hiddens=256, "
        "num_outputs=10` in the signature, and the three modules LazyLinear, ReLU, "
        "LazyLinear, so that `net[0]` and `net[2]` are the two linear layers (without the "
        "ReLU there is no `net[2]`).",
        "zh": "lazy_mlp() 的默认大小应与书中一致：签名中保留 `num_hiddens=256, num_outputs=10`，"
        "并保持 LazyLinear、ReLU、LazyLinear 三个模块，使 `net[0]` 和 `net[2]` 是两个线性层"
        "（漏掉 ReLU 就没有 `net[2]` 了）。",
    },
    "test_first_forward_pass_infers_every_shape": {
        "en": "After the first forward pass the shapes or the output are wrong: both linear "
        "layers must be `nn.LazyLinear` (a plain `nn.Linear(20, ...)` fails for other input "
        "widths), sized by num_hiddens and num_outputs (not 256 and 10), with an `nn.ReLU()` "
        "between them (without it the net is a single affine map).",
        "zh": "第一次前向传播之后，参数形状或输出不对：两个线性层都必须是 `nn.LazyLinear`"
        "（普通的 `nn.Linear(20, ...)` 遇到其他输入宽度就会出错），大小取自 num_hiddens 和 "
        "num_outputs（不是 256 和 10），两层之间要有 `nn.ReLU()`（否则整个网络只是一个仿射变换）。",
    },
    # ------------------------------------------------------------ materialize
    "test_materialize_returns_the_same_net": {
        "en": "materialize must return the very net it was given: run the dummy pass only for "
        "its side effect (the shapes), then `return net`: not the output of `net(X)`, and "
        "not a `copy.deepcopy(net)`, which leaves the caller's net lazy.",
        "zh": "materialize 必须返回传入的那个 net 本身：虚拟输入的前向传播只是为了它的副作用"
        "（确定形状），之后 `return net`；不要返回 `net(X)` 的输出，也不要返回 "
        "`copy.deepcopy(net)`，那样调用者手里的 net 仍是未初始化的。",
    },
    "test_materialize_gives_every_weight_its_shape": {
        "en": "Parameters are still lazy or misshaped after materialize: call the whole `net` "
        "(not only its first child) on a dummy batch of shape `(1, num_inputs)`, not "
        "`(num_inputs, 1)`, whose last dimension 1 would become the input size, and do it on "
        "the net itself, not on a copy.",
        "zh": "materialize 之后参数仍未初始化或形状不对：对整个 `net`（而不只是它的第一个子模块）"
        "输入形状为 `(1, num_inputs)` 的虚拟批量，不要用 `(num_inputs, 1)`，否则最后一维的 1 "
        "会被当成输入大小；并且要作用于 net 本身，而不是它的副本。",
    },
    "test_materialize_runs_one_forward_on_one_example_without_grad": {
        "en": "materialize must run exactly one forward pass, on a batch of shape "
        "`(1, num_inputs)` (not a 1-d `(num_inputs,)` vector, not the book's batch of 2), "
        "inside `with torch.no_grad():` so that no graph is recorded: no second 'check' "
        "pass, no `.backward()`, and on the net itself, not a copy.",
        "zh": "materialize 必须恰好做一次前向传播，输入形状为 `(1, num_inputs)` 的批量（不是一维"
        "的 `(num_inputs,)` 向量，也不是书中大小为 2 的批量），并放在 `with torch.no_grad():` "
        "中，不记录计算图；不要再跑一次“检查”，不要调用 `.backward()`，并且作用于 net 本身"
        "而非副本。",
    },
    "test_materialize_leaves_no_grad_and_autograd_on": {
        "en": "materialize left state behind: don't call `.backward()` on the dummy output (it "
        "leaves a `.grad` on the parameters), and don't switch autograd off with "
        "`torch.set_grad_enabled(False)`, which stays off; `with torch.no_grad():` turns it "
        "back on when the block ends.",
        "zh": "materialize 留下了副作用：不要对虚拟输出调用 `.backward()`（会在参数上留下 "
        "`.grad`），也不要用 `torch.set_grad_enabled(False)` 关闭自动微分，它会一直关着；"
        "`with torch.no_grad():` 在代码块结束时会自动恢复。",
    },
    "test_materialized_net_can_be_trained": {
        "en": "The net cannot be trained after materialize: parameters created under "
        "`torch.inference_mode()` are inference tensors that can never take part in "
        "autograd, and `torch.set_grad_enabled(False)` stays off; use "
        "`with torch.no_grad():`, and a dummy batch of shape `(1, num_inputs)` so that the "
        "input size is right.",
        "zh": "materialize 之后网络无法训练：在 `torch.inference_mode()` 中创建的参数是推理张量，"
        "永远不能参与自动微分；`torch.set_grad_enabled(False)` 则会一直关着梯度记录。请用 "
        "`with torch.no_grad():`，虚拟批量的形状用 `(1, num_inputs)`，输入大小才会正确。",
    },
    "test_materialize_works_on_other_lazy_nets": {
        "en": "materialize must work for any net, even a single nn.LazyLinear: call the net "
        "itself, `net(X)`, not `net.forward(X)` (which skips the hooks that infer a lazy "
        "layer's shape), on a `(1, num_inputs)` batch, and return that same net; don't assume "
        "an nn.Sequential or build a new net.",
        "zh": "materialize 要对任何网络都有效，哪怕只是一个 nn.LazyLinear：直接调用 `net(X)`，"
        "不要调用 `net.forward(X)`（它会跳过惰性层推断形状所用的钩子），输入形状为 "
        "`(1, num_inputs)`，并返回同一个 net；不要假定它是 nn.Sequential，也不要新建网络。",
    },
    "test_materialize_follows_the_dtype_of_the_net": {
        "en": "materialize made its dummy batch in the default dtype, so a lazy net moved to "
        "float64 failed (or came out float32): take dtype and device from the net's own "
        "parameters: the first one is `next(net.parameters(), None)`; make the zeros with "
        "its `dtype` and `device`.",
        "zh": "materialize 的虚拟批量用了默认 dtype，于是移到 float64 的惰性网络出错（或得到 "
        "float32 参数）：dtype 和设备要取自网络自己的参数：第一个参数是 "
        "`next(net.parameters(), None)`，用它的 `dtype` 和 `device` 生成全零批量。",
    },
    "test_materialize_accepts_a_net_without_parameters": {
        "en": "materialize failed on a net without parameters: `next(net.parameters())` raises "
        "StopIteration there. Give it a default, `next(net.parameters(), None)`, and fall back "
        "to a plain `torch.zeros(1, num_inputs)` when it is None.",
        "zh": "materialize 遇到没有参数的网络就出错：此时 `next(net.parameters())` 会抛出 "
        "StopIteration。给它一个默认值 `next(net.parameters(), None)`，为 None 时改用普通的 "
        "`torch.zeros(1, num_inputs)`。",
    },
}
