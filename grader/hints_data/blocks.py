"""Progressive hints for exercise 1 (layers and blocks): contract name ->
{"en": [...], "zh": [...]}."""

HINTS: dict[str, dict[str, list[str]]] = {
    "MLP": {
        "en": [
            "A block is a subclass of `nn.Module` with two methods: `__init__` declares its "
            'layers, `forward` computes the output. Read "A Custom Module" in d2l\'s '
            '"Layers and Modules".',
            "In `__init__`, call `super().__init__()` first, then assign two `nn.Linear` "
            "layers to attributes named exactly `hidden` and `out`: assigning a module to an "
            "attribute registers it, so its parameters become the MLP's.",
            "Size the layers from the arguments, not the book's numbers: `hidden` goes from "
            "num_inputs to num_hiddens, `out` from num_hiddens to num_outputs. Keep the "
            "defaults 20, 256, 10 in the signature.",
            "`forward(X)`: apply `self.hidden`, then `F.relu`, then `self.out`, and return "
            "the result. No activation after the output layer.",
        ],
        "zh": [
            "块是 `nn.Module` 的子类，有两个方法：`__init__` 声明它的层，`forward` 计算输出。"
            "请阅读 5.1.1 节“自定义块”。",
            "在 `__init__` 中先调用 `super().__init__()`，再把两个 `nn.Linear` 层赋给名字恰好为 "
            "`hidden` 和 `out` 的属性：把模块赋给属性就完成了注册，它的参数也就成了 MLP 的参数。",
            "层的大小取自参数，而不是书中的数字：`hidden` 从 num_inputs 到 num_hiddens，`out` 从 "
            "num_hiddens 到 num_outputs。签名中保留默认值 20、256、10。",
            "`forward(X)`：依次应用 `self.hidden`、`F.relu`、`self.out`，返回结果。输出层之后"
            "没有激活函数。",
        ],
    },
    "MySequential": {
        "en": [
            'Read "The Sequential Module" in d2l\'s "Layers and Modules": a container '
            "block needs only two things, to register the blocks it is given and to run "
            "them one after another in `forward`.",
            "Registration is what matters: modules in a plain Python list are invisible to "
            "`parameters()`, `state_dict()` and `.to()`. `nn.Module.add_module(name, module)` "
            'registers a child under a name; nn.Sequential\'s names are the positions "0", '
            '"1", "2", ...',
            "Accept the modules as `*modules`, walk them with `enumerate`, and register each "
            "one under its position turned into a string. Write it on `nn.Module` itself: no "
            "subclassing or wrapping nn.Sequential or nn.ModuleList.",
            "In `forward`, iterate over `self._modules.values()` (an ordered dict that keeps a "
            "repeated module at each of its positions; `children()` does not), replacing X by "
            "each module's output, and return X after the loop, so an empty MySequential "
            "returns its input.",
        ],
        "zh": [
            "请阅读 5.1.2 节“顺序块”：一个容器块只需做两件事，注册传给它的块，并在 `forward` "
            "中依次运行它们。",
            "关键在于注册：放在普通 Python 列表里的模块，`parameters()`、`state_dict()` 和 "
            "`.to()` 都看不到。`nn.Module.add_module(name, module)` 以给定名字注册子模块；"
            'nn.Sequential 用的名字就是位置 "0"、"1"、"2"……',
            "用 `*modules` 接收模块，用 `enumerate` 遍历，把每个模块以“位置转成的字符串”为名"
            "注册。直接写在 `nn.Module` 上：不要继承或包装 nn.Sequential、nn.ModuleList。",
            "在 `forward` 中遍历 `self._modules.values()`（有序字典，重复的模块在每个位置都保留；"
            "`children()` 则不会），每一步用模块的输出替换 X，循环结束后返回 X，这样空的 "
            "MySequential 会原样返回输入。",
        ],
    },
    "FixedHiddenMLP": {
        "en": [
            'Read "Executing Code in the Forward Propagation Method" in d2l\'s "Layers '
            'and Modules": a constant weight, one layer used twice, and a Python loop '
            "inside `forward`.",
            "A tensor that belongs to the model but is never trained is a buffer: "
            "`self.register_buffer(name, tensor)`. Not an `nn.Parameter` (not even a frozen "
            "one) and not a plain attribute, which would neither move with `.to()` nor be "
            "saved in `state_dict()`.",
            "In `__init__`, draw the constant once with `torch.rand` (uniform on [0, 1), not "
            "`randn`), shape (num_features, num_features), and create one square `nn.Linear` "
            "named `linear`. Calling that same layer twice in `forward` shares its parameters.",
            "`forward`: `self.linear`; then ReLU of (X `@` rand_weight, plus 1), using `@` "
            "rather than `torch.mm` so extra batch dimensions work; `self.linear` again; "
            "then a `while` loop on `X.abs().sum() > 1` that divides X by 2; finally return "
            "`X.sum()`.",
        ],
        "zh": [
            "请阅读 5.1.3 节“在前向传播函数中执行代码”：一个常量权重、一个用两次的层，以及 "
            "`forward` 中的 Python 循环。",
            "属于模型但从不训练的张量是缓冲区：`self.register_buffer(name, tensor)`。不要用 "
            "`nn.Parameter`（冻结的也不行），也不要用普通属性：普通属性既不会随 `.to()` 移动，"
            "也不会保存到 `state_dict()` 中。",
            "在 `__init__` 中用 `torch.rand`（[0, 1) 上的均匀分布，不是 `randn`）生成一次形状为 "
            "(num_features, num_features) 的常量，并创建一个名为 `linear` 的方阵 `nn.Linear`。"
            "在 `forward` 中两次调用同一个层，就共享了它的参数。",
            "`forward`：先 `self.linear`；再对（X `@` rand_weight，再加 1）取 ReLU，用 `@` 而不是 "
            "`torch.mm`，多余的批量维才能正常工作；再一次 `self.linear`；然后用 `while` 循环，"
            "只要 `X.abs().sum() > 1` 就把 X 除以 2；最后返回 `X.sum()`。",
        ],
    },
    "NestMLP": {
        "en": [
            'Read the end of "Executing Code in the Forward Propagation Method" in d2l\'s '
            '"Layers and Modules": blocks nest, so an attribute of a block can be any '
            "block, an `nn.Sequential` included.",
            "In `__init__`, build `self.net` as an `nn.Sequential` of four modules: Linear, "
            "ReLU, Linear, ReLU, with widths 20 -> 64 -> 32.",
            "Then `self.linear` is an `nn.Linear` from 32 to 16 features. The attribute names "
            "decide the state_dict keys: `net.0.weight`, `net.2.bias`, ..., `linear.bias`.",
            "`forward`: pass X through `self.net` first, then through `self.linear`, and "
            "return what comes out: shape (..., 20) becomes (..., 16).",
        ],
        "zh": [
            "请阅读 5.1.3 节的末尾：块可以嵌套，块的属性可以是任何块，包括 `nn.Sequential`。",
            "在 `__init__` 中把 `self.net` 建成含四个模块的 `nn.Sequential`：Linear、ReLU、"
            "Linear、ReLU，宽度为 20 -> 64 -> 32。",
            "然后 `self.linear` 是一个从 32 到 16 个特征的 `nn.Linear`。属性名决定了 state_dict "
            "的键名：`net.0.weight`、`net.2.bias`……`linear.bias`。",
            "`forward`：X 先经过 `self.net`，再经过 `self.linear`，返回结果：形状 (..., 20) "
            "变为 (..., 16)。",
        ],
    },
    "chimera": {
        "en": [
            'Read the end of d2l\'s "Layers and Modules", where the book mixes its blocks '
            'into one "chimera": any blocks compose, including the ones you wrote yourself.',
            "`chimera` is a plain function that returns an `nn.Sequential`; no new class is "
            "needed. Its three parts are two blocks from this file and one `nn.Linear`.",
            "Match the widths: NestMLP outputs 16 features, while FixedHiddenMLP() expects 20 "
            "by default, so a Linear layer from 16 to 20 goes between them.",
            "Order: `NestMLP()`, then the Linear from 16 to 20, then `FixedHiddenMLP()` with "
            "its default size. The net's output is FixedHiddenMLP's 0-d sum.",
        ],
        "zh": [
            "请阅读 5.1.3 节的末尾，书中把各种块混合搭配成一个“嵌合体”（chimera）："
            "任何块都能组合，包括你自己写的块。",
            "`chimera` 是一个返回 `nn.Sequential` 的普通函数，不需要新建类。它的三个部分是"
            "本文件中的两个块和一个 `nn.Linear`。",
            "对齐宽度：NestMLP 输出 16 个特征，而 FixedHiddenMLP() 默认需要 20 个，所以两者之间"
            "放一个从 16 到 20 的线性层。",
            "顺序：`NestMLP()`，然后是从 16 到 20 的线性层，最后是默认大小的 "
            "`FixedHiddenMLP()`。网络的输出就是 FixedHiddenMLP 给出的 0 维和。",
        ],
    },
}
