"""Diagnoses for exercise 9 (training your own layers): test function -> {"en", "zh"}."""

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ synthetic_data
    "test_synthetic_data_shapes_and_dtypes": {
        "en": "synthetic_data returns the wrong shapes or dtypes: y is a row of shape "
        "(num_examples,) instead of a column, or X is drawn in the default float32 whatever "
        "w's dtype. Draw X with `dtype=w.dtype`, shape `(num_examples, len(w))`, and "
        "return y reshaped with `reshape(-1, 1)`.",
        "zh": "synthetic_data 返回的形状或 dtype 不对：y 的形状是 (num_examples,) 的一行，"
        "而不是一列；或者不管 w 是什么 dtype，X 都按默认的 float32 采样。"
        "请用 `dtype=w.dtype` 采样形状为 `(num_examples, len(w))` 的 X，"
        "并用 `reshape(-1, 1)` 把 y 变成一列再返回。",
    },
    "test_synthetic_data_labels_follow_the_linear_model": {
        "en": "y is not `X @ w + b` plus small noise: the noise is 10 times too big (0.01 "
        "passed as the variance: torch.normal takes the standard deviation), or b or w is "
        "left out or applied wrongly. Compute `X @ w + b` (a matrix-vector product) and add "
        "noise drawn with `torch.normal(0, 0.01, ...)`.",
        "zh": "y 不是 `X @ w + b` 加上很小的噪声：噪声大了 10 倍（把 0.01 当成方差传进去了，"
        "而 `torch.normal` 要的是标准差），或者漏了 b 或 w，或者用错了。"
        "请计算 `X @ w + b`（矩阵-向量乘法），再加上用 `torch.normal(0, 0.01, ...)` 采样的噪声。",
    },
    "test_synthetic_data_noise_is_normal_with_std_0_01": {
        "en": "The noise in y does not have standard deviation 0.01: it is left out (y lies "
        "exactly on the plane) or drawn with std 0.1, by passing the variance 0.01 where "
        "`torch.normal` wants the standard deviation. Add `torch.normal(0, 0.01, ...)` of "
        "y's shape and dtype.",
        "zh": "y 中噪声的标准差不是 0.01：要么根本没加噪声（y 恰好落在平面上），"
        "要么把方差 0.01 传给了要求标准差的 `torch.normal`，噪声的标准差成了 0.1。"
        "请加上与 y 形状、dtype 相同的 `torch.normal(0, 0.01, ...)`。",
    },
    "test_synthetic_data_features_are_standard_normal": {
        "en": "X is not drawn from the standard normal N(0, 1): `torch.rand` draws uniformly "
        "on [0, 1), and other means or scales are wrong too. Draw X with "
        "`torch.normal(0, 1, ...)` or `torch.randn`.",
        "zh": "X 不是从标准正态分布 N(0, 1) 中采样的：`torch.rand` 采样的是 [0, 1) 上的均匀分布，"
        "别的均值或尺度也不对。请用 `torch.normal(0, 1, ...)` 或 `torch.randn` 采样 X。",
    },
    "test_synthetic_data_draws_from_torchs_generator": {
        "en": "synthetic_data does not follow torch's global random generator: it calls "
        "`torch.manual_seed` itself (so every call returns the same data) or draws with "
        "NumPy or Python's random. Draw only with torch functions (`torch.normal`) and "
        "never reseed inside: seeding is the caller's job.",
        "zh": "synthetic_data 没有使用 torch 的全局随机数生成器：它自己调用了 "
        "`torch.manual_seed`（于是每次调用返回同样的数据），或者用 NumPy、Python 的 "
        "random 采样。请只用 torch 的函数（`torch.normal`）采样，函数内不要重设种子："
        "设种子是调用者的事。",
    },
    # ------------------------------------------------------------ train
    "test_train_fits_a_linear_model": {
        "en": "train does not fit a linear model, or returns the wrong type: the gradients "
        "are never cleared, `p = p - lr * p.grad` only rebinds a name, the loss is summed "
        "instead of averaged (the steps diverge), or the losses are tensors. Per minibatch: "
        "`nn.MSELoss()`, `optimizer.zero_grad()`, `backward()`, `optimizer.step()`; "
        "append Python floats (`loss.item()`).",
        "zh": "train 没能拟合线性模型，或返回的类型不对：梯度从不清零，"
        "`p = p - lr * p.grad` 只是重新绑定了一个名字，损失用了求和而不是平均"
        "（步子太大而发散），或者返回的损失是张量。每个小批量依次做：`nn.MSELoss()`、"
        "`optimizer.zero_grad()`、`backward()`、`optimizer.step()`；"
        "记录 Python 浮点数（`loss.item()`）。",
    },
    "test_train_fits_a_small_mlp": {
        "en": "train does not fit a small MLP: the gradients are never cleared, the update "
        "`p = p - lr * p.grad` rebinds a local name and leaves the model unchanged, or the "
        "summed loss makes the steps too big. Use `torch.optim.SGD(net.parameters(), "
        "lr=lr)` on the mean squared error, and zero the gradients before each `backward()`.",
        "zh": "train 没能拟合小型多层感知机：梯度从不清零，`p = p - lr * p.grad` "
        "只重新绑定了局部变量而模型没变，或者损失求和使步子太大。"
        "请对均方误差用 `torch.optim.SGD(net.parameters(), lr=lr)`，"
        "并在每次 `backward()` 之前清零梯度。",
    },
    "test_train_one_full_batch_epoch_is_one_sgd_step": {
        "en": "One full-batch epoch is not one SGD step on the mean squared error, or its "
        "loss is not the one before the step: the loss is summed or halved (d2l's "
        "`squared_loss`), minibatches are drawn with replacement, the update rebinds `p`, "
        "or the loss is measured after the epoch. Use `nn.MSELoss()`, split a "
        "`torch.randperm` permutation, and record each step's own `loss.item()`.",
        "zh": "一个全批量迭代周期不等于在均方误差上做一步 SGD，或者它的损失不是更新前的损失："
        "损失被求和或除以 2（d2l 的 `squared_loss`），小批量是有放回地抽取的，更新只重新绑定了 "
        "`p`，或者损失是在迭代周期结束后才计算的。请用 `nn.MSELoss()`，切分 "
        "`torch.randperm` 给出的排列，并记录每一步自己的 `loss.item()`。",
    },
    "test_train_clears_gradients_between_steps": {
        "en": "After several steps the parameters or losses are off: `backward()` adds into "
        ".grad, so without `optimizer.zero_grad()` before it each step follows the sum of "
        "all gradients so far; a summed or halved loss, an update that rebinds `p`, "
        "sampling with replacement, or losses taken after the epoch break it too. Zero the "
        "gradients before every `backward()`.",
        "zh": "几步之后参数或损失不对：`backward()` 会把梯度累加到 `.grad` 上，"
        "所以如果不在它之前调用 `optimizer.zero_grad()`，每一步沿着的都是之前所有梯度之和；"
        "损失求和或除以 2、只重新绑定 `p` 的更新、有放回抽样、在迭代周期结束后才计算损失，"
        "也都会导致出错。请在每次 `backward()` 之前清零梯度。",
    },
    "test_train_ignores_gradients_left_from_before_the_call": {
        "en": "Gradients already in .grad before train was called leaked into the first "
        "step: the gradients are cleared only after each update (as d2l's `sgd` does) or "
        "never. Call `optimizer.zero_grad()` (or `net.zero_grad()`) right before each "
        "`loss.backward()`, not after `optimizer.step()`.",
        "zh": "调用 train 之前就留在 `.grad` 里的梯度混进了第一步：梯度只在每次更新之后才清零"
        "（就像 d2l 的 `sgd` 那样），或者从不清零。请在每次 `loss.backward()` 之前"
        "调用 `optimizer.zero_grad()`（或 `net.zero_grad()`），而不是在 "
        "`optimizer.step()` 之后。",
    },
    "test_train_returns_the_mean_loss_of_each_epoch": {
        "en": "The epoch losses are not the mean squared error over each epoch's examples: "
        "they are the last minibatch's loss, the sum of the minibatch losses, tensors "
        "instead of floats, or the minibatches are drawn with replacement. Add up "
        "`loss.item() * len(Xb)` over the epoch and divide by `len(X)`.",
        "zh": "每个迭代周期的损失不是该周期所有样本上的均方误差：返回的是最后一个小批量的损失、"
        "各小批量损失之和、张量而不是浮点数，或者小批量是有放回抽取的。"
        "请在一个迭代周期内累加 `loss.item() * len(Xb)`，再除以 `len(X)`。",
    },
    "test_train_updates_the_same_parameter_objects": {
        "en": "train does not update the net's own Parameter objects: it puts new "
        "`nn.Parameter`s into the modules (an optimiser or a tied layer holding the old ones "
        "is left behind), or `p = p - lr * p.grad` rebinds a local name. Update in place: "
        "`p -= lr * p.grad` under `torch.no_grad()`, or `optimizer.step()`.",
        "zh": "train 更新的不是网络自己的那些 `Parameter` 对象：它往模块里放了新的 "
        "`nn.Parameter`（持有旧参数的优化器或绑定的层就落在了后面），或者 "
        "`p = p - lr * p.grad` 只重新绑定了局部变量。请原地更新：在 `torch.no_grad()` 下执行 "
        "`p -= lr * p.grad`，或者用 `optimizer.step()`。",
    },
    "test_train_minibatches_cover_every_example_once_per_epoch": {
        "en": "An epoch does not use every example exactly once: the last, smaller "
        "minibatch is dropped, or minibatches are drawn at random with replacement. Split "
        "one permutation of the indices (`torch.randperm(len(X)).split(batch_size)`) or "
        "step through `range(0, len(X), batch_size)`, and call the net with gradients only "
        "once per step.",
        "zh": "一个迭代周期没有把每个样本恰好用一次：丢掉了最后那个较小的小批量，"
        "或者小批量是有放回地随机抽取的。请切分下标的一个排列"
        "（`torch.randperm(len(X)).split(batch_size)`），或按 "
        "`range(0, len(X), batch_size)` 逐段取；每一步只在启用梯度时调用一次网络。",
    },
    "test_train_leaves_the_net_in_training_mode": {
        "en": "train leaves some modules in eval mode: it never calls `net.train()` (a net "
        "handed over in eval mode then trains with dropout off) or restores the old mode at "
        "the end. Call `net.train()` before the loop and leave the net in training mode.",
        "zh": "train 结束后有些模块处于评估模式：它从不调用 `net.train()`"
        "（传进来时处于评估模式的网络就会在关闭暂退法的情况下训练），"
        "或者在最后恢复了原来的模式。请在循环之前调用 `net.train()`，并让网络保持训练模式。",
    },
    "test_synthetic_data_keeps_a_half_precision_dtype": {
        "en": "For a float16 or bfloat16 `w`, X or y came out float32: draw X and the noise "
        "with `dtype=w.dtype`; a float32 noise term added to a half-precision y promotes y "
        "to float32.",
        "zh": "当 `w` 是 float16 或 bfloat16 时，X 或 y 变成了 float32：生成 X 和噪声时都要用 "
        "`dtype=w.dtype`；把 float32 的噪声加到半精度的 y 上，会把 y 提升为 float32。",
    },
    "test_train_defaults_are_the_books": {
        "en": "train(net, X, y) without the optional arguments trains differently from the "
        "book's settings: keep the defaults `num_epochs=3, lr=0.03, batch_size=10` in the "
        "signature and use the arguments (not constants) in the body.",
        "zh": "不传可选参数时，train(net, X, y) 的训练方式与书中设置不同：签名中保留默认值 "
        "`num_epochs=3, lr=0.03, batch_size=10`，函数体中使用这些参数（而不是写死的常数）。",
    },
}
