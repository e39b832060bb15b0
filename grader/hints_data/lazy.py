"""Progressive hints for exercise 4 (lazy initialisation): contract name ->
{"en": [...], "zh": [...]}."""

HINTS: dict[str, dict[str, list[str]]] = {
    "lazy_mlp": {
        "en": [
            "Read d2l's \"Lazy Initialization\" (Builders' Guide): the framework can infer a "
            "layer's input size from the first batch that goes through it.",
            "PyTorch's lazy layers take only the output size: `nn.LazyLinear(out_features)`. "
            "Their weight and bias start as `UninitializedParameter` placeholders with no "
            "shape.",
            "Build the book's MLP as an `nn.Sequential` of three modules: a lazy linear layer "
            "with num_hiddens outputs, an `nn.ReLU()`, and a lazy linear layer with "
            "num_outputs outputs. No input size appears anywhere.",
            "Use the arguments (defaults 256 and 10), and return the net untouched: no forward "
            "pass inside lazy_mlp, so that `torch.nn.parameter.is_lazy(p)` is still true for "
            "all four parameters when it returns.",
        ],
        "zh": [
            "请阅读 5.3 节“延后初始化”：框架可以根据第一个通过某层的批量推断出该层的输入大小。",
            "PyTorch 的惰性层只需给出输出大小：`nn.LazyLinear(out_features)`。它的 weight 和 "
            "bias 起初只是没有形状的 `UninitializedParameter` 占位符。",
            "把书中的多层感知机写成含三个模块的 `nn.Sequential`：输出 num_hiddens 个特征的惰性"
            "线性层、`nn.ReLU()`、输出 num_outputs 个特征的惰性线性层。任何地方都不出现输入大小。",
            "大小用参数（默认 256 和 10），并原样返回网络：不要在 lazy_mlp 内部做前向传播，这样它"
            "返回时四个参数的 `torch.nn.parameter.is_lazy(p)` 都仍为真。",
        ],
    },
    "materialize": {
        "en": [
            'Read d2l\'s "Lazy Initialization": lazy parameters get their shapes on the first '
            "forward pass, so one dry run with a dummy batch materializes the whole net.",
            "The dummy batch is one example with num_inputs features: a tensor of shape "
            "(1, num_inputs), e.g. made with `torch.zeros`. Its last dimension becomes the "
            "first layer's in_features; the rest follow layer by layer.",
            "Lazy parameters already know their dtype and device, only not their shape: make "
            "the dummy batch like the net's first parameter (`next(net.parameters(), None)`), "
            "so a net moved to float64 works too; a net without parameters gets a plain batch.",
            "It is a shape probe, not training: run the single pass inside a "
            "`torch.no_grad()` block (not `torch.inference_mode()`, whose parameters can "
            "never be trained, nor a `torch.set_grad_enabled(False)` left switched off), and "
            "call no `backward()`.",
            "Call the net itself, `net(...)`, not `net.forward(...)` (which skips the hooks "
            "that infer the shapes), exactly once; ignore its output and return the same "
            "`net` object.",
        ],
        "zh": [
            "请阅读 5.3 节“延后初始化”：惰性参数在第一次前向传播时获得形状，所以用一个虚拟批量"
            "试运行一次，整个网络就实体化了。",
            "虚拟批量是一个含 num_inputs 个特征的样本：形状为 (1, num_inputs) 的张量，比如用 "
            "`torch.zeros` 生成。它的最后一维成为第一层的 in_features，后面各层依次推断。",
            "惰性参数虽然还没有形状，却已经有 dtype 和设备：让虚拟批量与网络的第一个参数"
            "（`next(net.parameters(), None)`）一致，这样移到 float64 的网络也能用；没有参数的"
            "网络就用普通的批量。",
            "这只是探测形状，不是训练：把这一次前向传播放在 `torch.no_grad()` 代码块中（不要用 "
            "`torch.inference_mode()`，那样创建的参数永远不能训练；也不要用一直关着的 "
            "`torch.set_grad_enabled(False)`），也不要调用 `backward()`。",
            "直接调用网络本身 `net(...)`，不要调用 `net.forward(...)`（它会跳过推断形状的钩子），"
            "只调用一次；忽略它的输出，返回同一个 `net` 对象。",
        ],
    },
}
