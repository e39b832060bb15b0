"""Exercise 3 (tied parameters): what each check checks, and the mistakes whose
signatures its verdicts recognise (grader/diagnoses.py)."""

CHECKS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ shared_mlp
    "test_shared_mlp_structure": {
        "en": "shared_mlp(num_inputs, num_hiddens) is an nn.Sequential of Linear, ReLU, shared, "
        "ReLU, shared, ReLU, Linear, with one and the same layer at positions 2 and 4, and "
        "the right sizes.",
        "zh": "shared_mlp(num_inputs, num_hiddens) 是由 Linear、ReLU、共享层、ReLU、共享层、"
        "ReLU、Linear 组成的 nn.Sequential，第 2 和第 4 个位置是同一个层，各层尺寸正确。",
    },
    "test_shared_mlp_default_sizes": {
        "en": "shared_mlp() defaults to 4 inputs and 8 hidden units, with 1 output.",
        "zh": "shared_mlp() 默认有 4 个输入、8 个隐藏单元和 1 个输出。",
    },
    "test_shared_mlp_holds_one_set_of_shared_parameters": {
        "en": "net[2] and net[4] hold one set of parameters: parameters() lists them once, and "
        "a change to net[2].weight shows in net[4].",
        "zh": "net[2] 和 net[4] 持有同一组参数：parameters() 只列出一次，修改 net[2].weight "
        "会反映在 net[4] 上。",
    },
    "test_shared_mlp_forward": {
        "en": "shared_mlp's output is net[0], then net[2] twice, then net[6], with ReLUs "
        "between, for any batch shape and float dtype.",
        "zh": "shared_mlp 的输出等于依次经过 net[0]、两次 net[2]、再经过 net[6]（中间夹 ReLU），"
        "对任意批量形状和浮点类型都成立。",
    },
    "test_shared_gradient_is_the_sum_of_both_uses": {
        "en": "The shared layer's gradient is the sum of the gradients of its two uses.",
        "zh": "共享层的梯度等于它两处使用的梯度之和。",
    },
    # ------------------------------------------------------------ tie_weights
    "test_tie_weights_shares_the_very_same_parameters": {
        "en": "After tie_weights(src, dst) on two nn.Linear, dst holds src's very weight and "
        "bias Parameters, src keeps them, and the call returns None.",
        "zh": "对两个 nn.Linear 调用 tie_weights(src, dst) 之后，dst 持有的正是 src 的 weight 和 "
        "bias 这两个 Parameter 对象，src 保持不变，函数返回 None。",
    },
    "test_tie_weights_ties_only_common_names": {
        "en": "tie_weights ties only the names both modules hold: a Linear and a weight-only "
        "layer share their weight alone.",
        "zh": "tie_weights 只绑定两个模块都有的名字：Linear 和只有 weight 的层只共享 weight。",
    },
    "test_tied_modules_train_together": {
        "en": "Tied modules train as one: their uses add up in one gradient, and a step on dst "
        "moves src.",
        "zh": "绑定后的两个模块一起训练：两处使用的梯度累加到同一个梯度中，对 dst 走一步也会"
        "带动 src。",
    },
    "test_tie_weights_rejects_a_shape_mismatch": {
        "en": "A shape mismatch makes tie_weights raise ValueError naming the parameter, and "
        "change neither module.",
        "zh": "形状不符时，tie_weights 抛出指明参数名的 ValueError，且两个模块都不改动。",
    },
    "test_tie_weights_rejects_modules_without_a_common_name": {
        "en": "Modules with no parameter name in common make tie_weights raise ValueError, "
        "and change neither module.",
        "zh": "两个模块没有共同的参数名时，tie_weights 抛出 ValueError，且两个模块都不改动。",
    },
    "test_tie_weights_looks_only_at_direct_parameters": {
        "en": "tie_weights looks only at each module's own parameters: two nn.Sequential "
        "containers hold none, so it raises ValueError.",
        "zh": "tie_weights 只看每个模块自身的参数：两个 nn.Sequential 容器自身没有参数，"
        "所以它抛出 ValueError。",
    },
}

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ shared_mlp
    "copied_layer": {
        "en": "net[4] is a copy of net[2]: equal values, but tensors of its own "
        "(`copy.deepcopy`, say). A copy trains apart from the original. Put the same "
        "`nn.Linear` instance at both positions.",
        "zh": "net[4] 是 net[2] 的副本：数值相同，但张量是它自己的（例如 `copy.deepcopy`）。"
        "副本与原层分开训练。请把同一个 `nn.Linear` 实例放在两个位置上。",
    },
    "second_linear": {
        "en": "net[4] is a second `nn.Linear`, with weights of its own: nothing is shared. "
        "Build one `nn.Linear(num_hiddens, num_hiddens)` and put that instance at positions "
        "2 and 4.",
        "zh": "net[4] 是另一个 `nn.Linear`，有自己的权重：什么都没有共享。请只建一个 "
        "`nn.Linear(num_hiddens, num_hiddens)`，把这个实例放在第 2 和第 4 个位置上。",
    },
    "layer_shares_only_weight": {
        "en": "net[2] and net[4] are two layers that share the weight but each keep their own "
        "bias. A shared layer is one instance: put the same `nn.Linear` at both positions.",
        "zh": "net[2] 和 net[4] 是两个层，共享了权重，但各有各的偏置。共享层就是同一个实例："
        "请把同一个 `nn.Linear` 放在两个位置上。",
    },
    "sizes_swapped": {
        "en": "The layer sizes have num_inputs and num_hiddens swapped: the first layer maps "
        "num_hiddens to num_inputs. The first layer takes num_inputs features and gives "
        "num_hiddens.",
        "zh": "各层尺寸中 num_inputs 和 num_hiddens 写反了：第一层把 num_hiddens 映射到 "
        "num_inputs。第一层应接收 num_inputs 个特征，输出 num_hiddens 个。",
    },
    # ------------------------------------------------------------ tie_weights
    "values_copied": {
        "en": "dst kept its own Parameters; only src's values were copied into them "
        "(`.data.copy_`, say). Equal values are no tie: they train apart from the next step. "
        "Give dst src's Parameter objects themselves.",
        "zh": "dst 保留了自己的 Parameter，只是把 src 的数值复制了进去（例如 `.data.copy_`）。"
        "数值相等不等于绑定：下一步训练后就各走各的了。请把 src 的 Parameter 对象本身交给 dst。",
    },
    "new_parameter": {
        "en": "dst holds a new `nn.Parameter` with src's values (`nn.Parameter(src.weight)`, or "
        "of a clone). It is another object, with a `.grad` of its own. Give dst src's "
        "Parameter itself.",
        "zh": "dst 持有的是一个新的 `nn.Parameter`，数值与 src 相同（`nn.Parameter(src.weight)` "
        "或其副本）。它是另一个对象，有自己的 `.grad`。请把 src 的 Parameter 本身交给 dst。",
    },
    "tied_backwards": {
        "en": "src now holds dst's Parameters: the tie goes the wrong way round. Leave src as "
        "it is and give its Parameters to dst.",
        "zh": "src 现在持有的是 dst 的 Parameter：绑定的方向反了。请保持 src 不变，把它的 "
        "Parameter 交给 dst。",
    },
    "ties_only_weight": {
        "en": "Only the weight is tied; dst keeps a bias of its own. Tie every name both "
        "modules hold, bias included.",
        "zh": "只绑定了权重，dst 仍保留自己的偏置。请绑定两个模块共有的每一个名字，包括 bias。",
    },
    "gives_dst_new_names": {
        "en": "dst gained a parameter it did not hold before (src's `bias`). Tie only the "
        "names both modules hold.",
        "zh": "dst 多出了一个它原来没有的参数（src 的 `bias`）。请只绑定两个模块都有的名字。",
    },
    "assert_instead_of_raise": {
        "en": "tie_weights checks the shapes with `assert`, which raises AssertionError. Raise "
        "`ValueError` instead.",
        "zh": "tie_weights 用 `assert` 检查形状，抛出的是 AssertionError。请改为抛出 "
        "`ValueError`。",
    },
    "wrong_exception_type": {
        "en": "tie_weights raises an exception of another type (RuntimeError, say) on a shape "
        "mismatch. Raise `ValueError`.",
        "zh": "形状不符时，tie_weights 抛出的是别的类型的异常（例如 RuntimeError）。请抛出 "
        "`ValueError`。",
    },
    "compares_numel": {
        "en": "The shapes differ but the numbers of elements agree, and tie_weights tied them: "
        "it compares `numel()`. Compare `.shape`.",
        "zh": "两个参数形状不同但元素个数相同，tie_weights 却把它们绑定了：它比较的是 "
        "`numel()`。请比较 `.shape`。",
    },
    "message_without_name": {
        "en": "The ValueError does not say which parameter's shapes differ. Put its name "
        "(e.g. 'bias') in the message.",
        "zh": "ValueError 没有说明是哪个参数的形状不符。请在消息中写出参数名（例如 'bias'）。",
    },
    "tied_before_checking": {
        "en": "tie_weights raised ValueError, but only after tying the names before the "
        "mismatch. Check every common name first, then tie them all.",
        "zh": "tie_weights 抛出了 ValueError，但在此之前已经绑定了出错名字前面的参数。请先检查"
        "所有共同的名字，再统一绑定。",
    },
    "silent_without_common_name": {
        "en": "The modules share no parameter name, and tie_weights returned without a word. "
        "Raise `ValueError` when no name is common.",
        "zh": "两个模块没有共同的参数名，tie_weights 却一声不响地返回了。没有共同名字时请抛出 "
        "`ValueError`。",
    },
    "recursive_names": {
        "en": "tie_weights tied the children's parameters of two containers (`0.weight`): "
        "`named_parameters()` recurses into children. Use `named_parameters(recurse=False)`.",
        "zh": "tie_weights 绑定了两个容器中子模块的参数（`0.weight`）：`named_parameters()` "
        "会递归进入子模块。请用 `named_parameters(recurse=False)`。",
    },
}
