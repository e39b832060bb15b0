"""Exercise 4 (lazy initialisation): what each check checks, and the mistakes whose
signatures its verdicts recognise (grader/diagnoses.py)."""

CHECKS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ lazy_mlp
    "test_lazy_mlp_is_lazylinear_relu_lazylinear": {
        "en": "lazy_mlp(num_hiddens, num_outputs) is an nn.Sequential of "
        "nn.LazyLinear(num_hiddens), nn.ReLU() and nn.LazyLinear(num_outputs).",
        "zh": "lazy_mlp(num_hiddens, num_outputs) 是由 nn.LazyLinear(num_hiddens)、nn.ReLU() "
        "和 nn.LazyLinear(num_outputs) 组成的 nn.Sequential。",
    },
    "test_lazy_mlp_parameters_start_uninitialised": {
        "en": "Before any forward pass, lazy_mlp's two weights and two biases are "
        "uninitialised: they have no shape yet.",
        "zh": "在任何前向传播之前，lazy_mlp 的两个权重和两个偏置都未初始化：还没有形状。",
    },
    "test_lazy_mlp_defaults_match_the_book": {
        "en": "lazy_mlp() defaults to the book's 256 hidden units and 10 outputs: a (2, 20) "
        "batch gives weights of shapes (256, 20) and (10, 256).",
        "zh": "lazy_mlp() 的默认值与书中一致，256 个隐藏单元、10 个输出：输入 (2, 20) 的批量后，"
        "权重形状为 (256, 20) 和 (10, 256)。",
    },
    "test_first_forward_pass_infers_every_shape": {
        "en": "The first forward pass gives every parameter its shape from the input's width, "
        "and the output is LazyLinear -> ReLU -> LazyLinear of the input.",
        "zh": "第一次前向传播根据输入的宽度确定每个参数的形状，输出等于输入依次经过 "
        "LazyLinear、ReLU、LazyLinear 的结果。",
    },
    # ------------------------------------------------------------ materialize
    "test_materialize_returns_the_same_net": {
        "en": "materialize(net, num_inputs) returns the very net it was given.",
        "zh": "materialize(net, num_inputs) 返回的正是传给它的那个 net。",
    },
    "test_materialize_gives_every_weight_its_shape": {
        "en": "After materialize(net, num_inputs) no parameter is lazy, and the first weight "
        "has shape (num_hiddens, num_inputs).",
        "zh": "调用 materialize(net, num_inputs) 之后没有参数仍未初始化，第一个权重的形状为 "
        "(num_hiddens, num_inputs)。",
    },
    "test_materialize_runs_one_forward_on_one_example_without_grad": {
        "en": "materialize runs exactly one forward pass, on a (1, num_inputs) batch, with "
        "gradient recording off.",
        "zh": "materialize 恰好做一次前向传播，输入形状为 (1, num_inputs)，且不记录梯度。",
    },
    "test_materialize_leaves_no_grad_and_autograd_on": {
        "en": "After materialize no parameter has a .grad, and autograd is on again.",
        "zh": "materialize 之后没有参数带有 .grad，自动微分也已重新打开。",
    },
    "test_materialized_net_can_be_trained": {
        "en": "A materialized net can be trained: a backward pass reaches every parameter.",
        "zh": "materialize 之后的网络可以训练：反向传播能到达每个参数。",
    },
    "test_materialize_works_on_other_lazy_nets": {
        "en": "materialize works on other lazy nets too, a single nn.LazyLinear included.",
        "zh": "materialize 对其他惰性网络同样有效，包括单独一个 nn.LazyLinear。",
    },
    "test_materialize_follows_the_dtype_of_the_net": {
        "en": "A lazy net moved to float64 is materialized in float64.",
        "zh": "移到 float64 的惰性网络，materialize 之后参数也是 float64。",
    },
    "test_materialize_accepts_a_net_without_parameters": {
        "en": "materialize accepts a net without parameters, nn.Sequential(nn.ReLU()), and "
        "returns it.",
        "zh": "materialize 接受没有参数的网络 nn.Sequential(nn.ReLU())，并返回它。",
    },
}

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ lazy_mlp
    "plain_linear": {
        "en": "lazy_mlp's layers already have an input size before any batch: they are "
        "plain nn.Linear with the size written in. Use `nn.LazyLinear(out_features)`, which "
        "takes none.",
        "zh": "lazy_mlp 的层在见到任何批量之前就已有输入大小：它们是写死了大小的普通 "
        "nn.Linear。请用不需要输入大小的 `nn.LazyLinear(out_features)`。",
    },
    "relu_missing": {
        "en": "lazy_mlp has two layers and no nn.ReLU between them, so the net is one affine "
        "map and there is no net[2]. Put an `nn.ReLU()` between the two layers.",
        "zh": "lazy_mlp 只有两个层，中间没有 nn.ReLU，于是整个网络只是一个仿射变换，也没有 "
        "net[2]。请在两层之间放一个 `nn.ReLU()`。",
    },
    "sizes_hardcoded": {
        "en": "lazy_mlp's layers have 256 and 10 outputs whatever it is given: the book's "
        "sizes are written in. Use the arguments num_hiddens and num_outputs.",
        "zh": "无论传入什么，lazy_mlp 的两层都输出 256 和 10 个单元：书中的大小被写死了。"
        "请使用参数 num_hiddens 和 num_outputs。",
    },
    # ------------------------------------------------------------ materialize
    "returns_the_output": {
        "en": "materialize returned a tensor, the output of the dummy pass. The pass is run "
        "for its side effect only: return the net.",
        "zh": "materialize 返回的是一个张量，即虚拟前向传播的输出。这次传播只是为了它的副作用："
        "请返回 net。",
    },
    "returns_a_copy": {
        "en": "materialize returned another module and left the net it was given lazy: it "
        "worked on a copy (`copy.deepcopy`, say). Run the dummy pass on net itself, and "
        "return net.",
        "zh": "materialize 返回了另一个模块，而传入的 net 仍未初始化：它处理的是副本"
        "（例如 `copy.deepcopy`）。请对 net 本身做虚拟前向传播，并返回 net。",
    },
    "batch_transposed": {
        "en": "The dummy batch had shape (num_inputs, 1), so the first layer took 1 as its "
        "input size. A batch is (examples, features): use one example, (1, num_inputs).",
        "zh": "虚拟批量的形状是 (num_inputs, 1)，于是第一层把 1 当成了输入大小。批量的形状是"
        "（样本数, 特征数）：请用一个样本，即 (1, num_inputs)。",
    },
    "batch_is_a_vector": {
        "en": "The dummy input was a 1-d vector of shape (num_inputs,), not a batch. Give it "
        "a batch dimension: shape (1, num_inputs).",
        "zh": "虚拟输入是形状为 (num_inputs,) 的一维向量，而不是批量。请加上批量维度："
        "形状为 (1, num_inputs)。",
    },
    "batch_of_two": {
        "en": "The dummy batch had 2 examples, like the book's `torch.rand(2, 20)`. One "
        "example is enough to infer the shapes: (1, num_inputs).",
        "zh": "虚拟批量有 2 个样本，和书中的 `torch.rand(2, 20)` 一样。推断形状一个样本就够了："
        "(1, num_inputs)。",
    },
    "only_first_layer_run": {
        "en": "Only the first layer got its shape; the later lazy layers never saw an input: "
        "materialize ran the first child, not the net. Call the whole net on the batch.",
        "zh": "只有第一层得到了形状，后面的惰性层从未见到输入：materialize 运行的是第一个子模块，"
        "而不是整个网络。请对整个 net 调用这个批量。",
    },
    "two_forward_passes": {
        "en": "materialize ran more than one forward pass. One pass infers every shape: run "
        "the net once.",
        "zh": "materialize 做了不止一次前向传播。一次传播就能推断出所有形状：请只运行一次。",
    },
    "graph_recorded": {
        "en": "The dummy pass ran with gradient recording on, building a graph nobody uses. "
        "Run it inside `with torch.no_grad():`.",
        "zh": "虚拟前向传播时梯度记录是打开的，建了一张没人用的计算图。请把它放在 "
        "`with torch.no_grad():` 中运行。",
    },
    "backward_in_materialize": {
        "en": "materialize ran a backward pass: the parameters come back with a `.grad`. The "
        "dummy pass only infers shapes: no `.backward()`, and run it under "
        "`torch.no_grad()`.",
        "zh": "materialize 做了反向传播：参数带着 `.grad` 回来了。虚拟前向传播只是为了推断形状："
        "不要调用 `.backward()`，并在 `torch.no_grad()` 中运行。",
    },
    "grad_switched_off_for_good": {
        "en": "After materialize, autograd is still off: `torch.set_grad_enabled(False)` "
        "stays in force, so the net cannot be trained. Use `with torch.no_grad():`, which "
        "turns it back on.",
        "zh": "materialize 之后自动微分仍然关着：`torch.set_grad_enabled(False)` 会一直生效，"
        "网络因此无法训练。请用 `with torch.no_grad():`，代码块结束时会自动恢复。",
    },
    "inference_mode": {
        "en": "The parameters are inference tensors: they were created under "
        "`torch.inference_mode()`, and can never be trained. Use `torch.no_grad()` instead.",
        "zh": "这些参数是推理张量：它们在 `torch.inference_mode()` 中创建，永远无法训练。"
        "请改用 `torch.no_grad()`。",
    },
    "forward_called_directly": {
        "en": "materialize called `net.forward(X)`, which skips the hooks that give a lazy "
        "layer its shape: a single nn.LazyLinear fails. Call the net itself, `net(X)`.",
        "zh": "materialize 调用的是 `net.forward(X)`，它会跳过为惰性层确定形状的钩子：单独一个 "
        "nn.LazyLinear 就会出错。请直接调用 net 本身，即 `net(X)`。",
    },
    "batch_in_default_dtype": {
        "en": "The dummy batch was float32 though the net is float64: it was made in the "
        "default dtype. Make it with the dtype and device of the net's first parameter.",
        "zh": "网络是 float64，虚拟批量却是 float32：它用的是默认 dtype。请用网络第一个参数的 "
        "dtype 和设备来生成它。",
    },
    "first_parameter_without_default": {
        "en": "materialize raised StopIteration on a net without parameters: "
        "`next(net.parameters())` has nothing to give there. Give `next` a default, None, "
        "and use the default dtype then.",
        "zh": "materialize 在没有参数的网络上抛出了 StopIteration：此时 "
        "`next(net.parameters())` 取不到任何东西。请给 `next` 一个默认值 None，"
        "为 None 时使用默认 dtype。",
    },
}
