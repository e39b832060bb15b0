"""Progressive hints for exercise 2 (parameter management): contract name ->
{"en": [...], "zh": [...]}."""

HINTS: dict[str, dict[str, list[str]]] = {
    "count_parameters": {
        "en": [
            "Read d2l “Parameter Management” (参数管理), on parameter access: every parameter "
            "is a tensor, and the number asked for is how many scalar entries they hold "
            "together, not how many tensors there are.",
            "`net.parameters()` walks the whole module tree, yields a Parameter shared by two "
            "layers only once, and never yields buffers such as BatchNorm's `running_mean`; "
            "`state_dict()`, `buffers()` and `named_parameters(remove_duplicate=False)` "
            "behave differently.",
            "A tensor's number of entries is `p.numel()`: `nn.Linear(4, 8)` gives 32 + 8 = 40. "
            "Adding up Python ints gives a Python int, not a tensor.",
            "One generator expression over `net.parameters()` is enough: add up `numel()`, and "
            "when `trainable_only` is true keep only the parameters whose `requires_grad` is "
            "set.",
        ],
        "zh": [
            "阅读 d2l「参数管理」中的参数访问：每个参数都是一个张量，这里要的是所有参数中"
            "标量元素的总数，而不是张量的个数。",
            "`net.parameters()` 会遍历整棵模块树，被两个层共享的参数只给出一次，而且从不给出"
            " BatchNorm 的 `running_mean` 这类缓冲区；`state_dict()`、`buffers()` 和 "
            "`named_parameters(remove_duplicate=False)` 的行为都与此不同。",
            "张量的元素个数是 `p.numel()`：`nn.Linear(4, 8)` 有 32 + 8 = 40 个。"
            "Python 整数相加得到的是 Python `int`，而不是张量。",
            "对 `net.parameters()` 写一个生成器表达式就够了：把 `numel()` 加起来；"
            "`trainable_only` 为真时，只保留 `requires_grad` 为真的参数。",
        ],
    },
    "block1": {
        "en": [
            "Read d2l “Parameter Management”, on collecting parameters from nested blocks "
            "(嵌套块): block1 is the book's small building block.",
            "It is an `nn.Sequential` of four modules: a Linear from 4 to 8 features, a ReLU, "
            "a Linear from 8 back to 4 features, and another ReLU.",
            "Do not drop the last `nn.ReLU()`: it holds no parameters, so the parameter names "
            "would not show it missing, but the list of modules does. Pass the four modules "
            "to `nn.Sequential` in that order, and keep both biases (the default).",
        ],
        "zh": [
            "阅读 d2l「参数管理」中从嵌套块收集参数的部分：`block1` 就是书中那个小的基本块。",
            "它是由四个模块组成的 `nn.Sequential`：从 4 到 8 个特征的 Linear、ReLU、从 8 回到 "
            "4 个特征的 Linear，再一个 ReLU。",
            "别漏了最后的 `nn.ReLU()`：它没有参数，参数名看不出少了它，但模块列表看得出。"
            "按这个顺序把四个模块传给 `nn.Sequential`，两个 Linear 都保留偏置（默认即是）。",
        ],
    },
    "block2": {
        "en": [
            "Read d2l “Parameter Management”, nested blocks (嵌套块): block2 stacks several "
            "block1s, and the names you give its children become part of every parameter's "
            "name.",
            "`nn.Sequential(*blocks)` would number the children 0, 1, …; to choose the names, "
            "start from an empty `nn.Sequential()` and register each child with "
            "`add_module(name, module)`.",
            "The names are `block0`, `block1`, … with no space (the book writes "
            "`f'block {i}'`, the contract does not). Loop over `range(num_blocks)` and keep "
            "the default of 4 blocks.",
            "Call `block1()` inside the loop, once per block: a block built once before the "
            "loop and added under every name is a single block whose parameters all the "
            "names share.",
        ],
        "zh": [
            "阅读 d2l「参数管理」中的嵌套块：`block2` 把若干个 `block1` 叠在一起，你给子块起的"
            "名字会成为其中每个参数名的一部分。",
            "`nn.Sequential(*blocks)` 会把子块编号为 0、1、…；要自己起名字，就从空的 "
            "`nn.Sequential()` 开始，用 `add_module(name, module)` 逐个注册子块。",
            "名字是 `block0`、`block1`、…，中间没有空格（书中写的是 `f'block {i}'`，契约不是）。"
            "对 `range(num_blocks)` 循环，默认保留 4 个块。",
            "在循环里调用 `block1()`，每个块调用一次：在循环前建好一个块、再在每个名字下加入它，"
            "得到的其实只有一个块，所有名字共享它的参数。",
        ],
    },
    "rgnet": {
        "en": [
            "Read d2l “Parameter Management”: rgnet is the book's nested network, the one "
            "whose parameter names read like paths, such as `0.block1.0.bias`.",
            "It is an `nn.Sequential` of two children: first a whole `block2()` (child `0`), "
            "then one linear output layer (child `1`).",
            "The output layer maps block2's 4 features to 1 output. Without it the names stop "
            "at `0.block3.2.bias` and the net outputs 4 features instead of 1; you can reach a "
            "layer the book's way, `net[0][1][0]`, to check.",
        ],
        "zh": [
            "阅读 d2l「参数管理」：`rgnet` 就是书中那个嵌套的网络，它的参数名读起来像路径，"
            "例如 `0.block1.0.bias`。",
            "它是有两个子模块的 `nn.Sequential`：先是一整个 `block2()`（子模块 `0`），"
            "再是一个线性输出层（子模块 `1`）。",
            "输出层把 `block2` 的 4 个特征映射为 1 个输出。少了它，参数名止于 "
            "`0.block3.2.bias`，网络输出 4 个特征而不是 1 个；可以像书中那样用 "
            "`net[0][1][0]` 访问某一层来检查。",
        ],
    },
    "init_normal": {
        "en": [
            "Read d2l “Parameter Initialization” (参数初始化), built-in initialisation "
            "(内置初始化): an initialiser is a function of one module, handed to `net.apply`, "
            "which calls it on every module of the tree.",
            "`apply` also visits ReLUs, containers and other layers: check the module's type "
            "with `isinstance` and act on `nn.Linear` alone.",
            "N(0, 0.01²) means mean 0 and *standard deviation* 0.01: `nn.init.normal_` takes "
            "`std`, not the variance. The `nn.init` functions ending in `_` write into the "
            "existing tensor, which is what you want.",
            "Two calls for an `nn.Linear`: `nn.init.normal_` on `m.weight` with `mean=0` and "
            "`std=0.01`, then `nn.init.zeros_` on the bias (it is None for a Linear built with "
            "`bias=False`).",
        ],
        "zh": [
            "阅读 d2l「参数初始化」中的内置初始化：初始化函数以一个模块为参数，交给 "
            "`net.apply`，由它对模块树中的每个模块调用。",
            "`apply` 也会访问 ReLU、容器和其他层：用 `isinstance` 检查模块类型，只处理 "
            "`nn.Linear`。",
            "N(0, 0.01²) 指均值 0、*标准差* 0.01：`nn.init.normal_` 接收的是 `std`，不是方差。"
            "以 `_` 结尾的 `nn.init` 函数直接写入已有的张量，这正是所需要的。",
            "对 `nn.Linear` 调用两次：先对 `m.weight` 用 `nn.init.normal_`，传 `mean=0` 和 "
            "`std=0.01`，再对偏置用 `nn.init.zeros_`（用 `bias=False` 建的 Linear 偏置为 None）。",
        ],
    },
    "init_constant": {
        "en": [
            "Read d2l “Parameter Initialization”, built-in initialisation (内置初始化): the "
            "book initialises every Linear to a constant in just this way.",
            "As in init_normal, act only on `nn.Linear` modules (test with `isinstance`): "
            "`net.apply` also hands you convolutions, norms and custom layers that have a "
            "`weight` of their own.",
            "Change the values in place; never assign `m.weight = nn.Parameter(...)`: an "
            "optimiser made earlier would keep training the old object.",
            "`nn.init.constant_(tensor, value)` fills a tensor with one value: 1 for the "
            "weight; `nn.init.zeros_` for the bias.",
        ],
        "zh": [
            "阅读 d2l「参数初始化」中的内置初始化：书中正是这样把所有 Linear 初始化为常数的。",
            "和 `init_normal` 一样，只处理 `nn.Linear` 模块（用 `isinstance` 判断）："
            "`net.apply` 也会把卷积层、归一化层和自带 `weight` 的自定义层交给你。",
            "原地修改数值；绝不要赋值 `m.weight = nn.Parameter(...)`：之前创建的优化器会"
            "继续训练旧的对象。",
            "`nn.init.constant_(tensor, value)` 用一个值填满张量：权重填 1；"
            "偏置用 `nn.init.zeros_`。",
        ],
    },
    "init_xavier": {
        "en": [
            "Read d2l “Parameter Initialization”, and for the why, “Numerical Stability and "
            "Initialization” (数值稳定性和模型初始化) on Xavier initialisation.",
            "Xavier (Glorot) uniform draws from U(-a, a) with a = sqrt(6 / (fan_in + "
            "fan_out)): both fans count, so that the variance is 2 / (fan_in + fan_out).",
            "`nn.init` has it ready-made and works the fans out from the weight's shape; pick "
            "the *uniform* variant, not `xavier_normal_`.",
            "Only the weight of an `nn.Linear`: call `nn.init.xavier_uniform_` on it and leave "
            "the bias exactly as it was (do not zero it).",
        ],
        "zh": [
            "阅读 d2l「参数初始化」；想知道为什么，再读「数值稳定性和模型初始化」中的 "
            "Xavier 初始化。",
            "Xavier（Glorot）均匀初始化从 U(-a, a) 抽取，a = sqrt(6 / (fan_in + fan_out))："
            "两个 fan 都要算进去，方差才是 2 / (fan_in + fan_out)。",
            "`nn.init` 里有现成的函数，会根据权重的形状算出 fan；要选*均匀*分布的版本，"
            "不是 `xavier_normal_`。",
            "只处理 `nn.Linear` 的权重：对它调用 `nn.init.xavier_uniform_`，偏置原样保留"
            "（不要置零）。",
        ],
    },
    "init_42": {
        "en": [
            "Read d2l “Parameter Initialization”: the book applies different initialisers to "
            "different blocks, and init_42 is its constant one.",
            "Act only on `nn.Linear` modules, and only on their weight: the bias stays as it "
            "was, neither 42 nor 0.",
            "`nn.init.constant_` fills a tensor with one value in place; give it the Linear's "
            "weight and 42.",
        ],
        "zh": [
            "阅读 d2l「参数初始化」：书中对不同的块使用不同的初始化方法，`init_42` 就是其中"
            "初始化为常数的那个。",
            "只处理 `nn.Linear` 模块，而且只处理权重：偏置保持原样，既不是 42 也不是 0。",
            "`nn.init.constant_` 原地用一个值填满张量；把 Linear 的权重和 42 交给它。",
        ],
    },
    "my_init": {
        "en": [
            "Read d2l “Parameter Initialization”, custom initialisation (自定义初始化): the "
            "book's `my_init` draws from a uniform distribution and then zeroes the small "
            "entries.",
            "Two steps on the weight of an `nn.Linear`: draw every entry from U(-10, 10) (both "
            "signs), then set to 0 each entry whose absolute value is below 5; entries of 5 or "
            "more keep their value, and the bias is left alone.",
            "Draw with `nn.init.uniform_`, bounds -10 and 10. For the second step a boolean "
            "mask works: `abs() >= 5` is True where an entry stays, and multiplying by it "
            "zeroes the rest.",
            "Multiply in place (`*=`) inside a `torch.no_grad()` block: autograd refuses an "
            "in-place change of a leaf that requires grad, and a product assigned back is no "
            "longer a Parameter. Do not switch `requires_grad` off.",
        ],
        "zh": [
            "阅读 d2l「参数初始化」中的自定义初始化：书中的 `my_init` 先从均匀分布抽取，"
            "再把小的元素置零。",
            "对 `nn.Linear` 的权重分两步：每个元素从 U(-10, 10) 抽取（正负都有），再把绝对值"
            "小于 5 的元素设为 0；绝对值大于等于 5 的保持原值，偏置不动。",
            "用 `nn.init.uniform_` 抽取，上下界为 -10 和 10。第二步可以用布尔掩码："
            "`abs() >= 5` 在要保留的位置为 True，乘上它就把其余元素置零了。",
            "在 `torch.no_grad()` 块中原地相乘（`*=`）：自动微分不允许原地修改需要梯度的"
            "叶子节点，而把乘积赋值回去得到的就不再是 Parameter。不要关掉 `requires_grad`。",
        ],
    },
}
