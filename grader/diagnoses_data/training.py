"""Exercise 9 (training your own layers): what each check checks, and the mistakes whose
signatures its verdicts recognise (grader/diagnoses.py)."""

CHECKS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ synthetic_data
    "test_synthetic_data_shapes_and_dtypes": {
        "en": "synthetic_data(w, b, n) returns X of shape (n, len(w)) and y of shape (n, 1), "
        "both in w's dtype.",
        "zh": "synthetic_data(w, b, n) 返回形状为 (n, len(w)) 的 X 和形状为 (n, 1) 的 y，"
        "二者的 dtype 都与 w 相同。",
    },
    "test_synthetic_data_labels_follow_the_linear_model": {
        "en": "y is X @ w + b plus small noise.",
        "zh": "y 等于 X @ w + b 加上很小的噪声。",
    },
    "test_synthetic_data_noise_is_normal_with_std_0_01": {
        "en": "The noise y - (X @ w + b) has mean 0 and standard deviation 0.01.",
        "zh": "噪声 y - (X @ w + b) 的均值为 0，标准差为 0.01。",
    },
    "test_synthetic_data_features_are_standard_normal": {
        "en": "X is drawn from the standard normal N(0, 1).",
        "zh": "X 从标准正态分布 N(0, 1) 中采样。",
    },
    "test_synthetic_data_keeps_a_half_precision_dtype": {
        "en": "For a float16 or bfloat16 w, X and y keep w's dtype.",
        "zh": "当 w 是 float16 或 bfloat16 时，X 和 y 保持 w 的 dtype。",
    },
    "test_synthetic_data_draws_from_torchs_generator": {
        "en": "synthetic_data draws from torch's global generator: the same seed gives the "
        "same data, and two calls give different data.",
        "zh": "synthetic_data 从 torch 的全局随机数生成器采样：相同的种子给出相同的数据，"
        "连续两次调用给出不同的数据。",
    },
    # ------------------------------------------------------------ train
    "test_train_defaults_are_the_books": {
        "en": "train(net, X, y) trains exactly as train(net, X, y, num_epochs=3, lr=0.03, "
        "batch_size=10) does.",
        "zh": "train(net, X, y) 的训练过程与 train(net, X, y, num_epochs=3, lr=0.03, "
        "batch_size=10) 完全相同。",
    },
    "test_train_fits_a_linear_model": {
        "en": "train fits a linear model: it returns one Python float per epoch, the loss "
        "falls, and the learned w and b are close to the true ones.",
        "zh": "train 能拟合线性模型：每个迭代周期返回一个 Python 浮点数，损失下降，"
        "学到的 w 和 b 接近真实值。",
    },
    "test_train_fits_a_small_mlp": {
        "en": "train fits a small MLP: the loss falls to a tenth of where it started, and "
        "every parameter changes.",
        "zh": "train 能拟合小型多层感知机：损失降到初始值的十分之一以下，每个参数都有变化。",
    },
    "test_train_one_full_batch_epoch_is_one_sgd_step": {
        "en": "With batch_size == len(X), one epoch is one step p -= lr * grad of the mean "
        "squared error, and its loss is the one before the step.",
        "zh": "当 batch_size == len(X) 时，一个迭代周期就是在均方误差上做一步 "
        "p -= lr * grad，它的损失是这一步之前的损失。",
    },
    "test_train_clears_gradients_between_steps": {
        "en": "Several full-batch epochs are as many SGD steps, each with its own gradient "
        "only, and each epoch's loss is the one before its step.",
        "zh": "多个全批量迭代周期就是同样多步 SGD，每一步只用它自己的梯度，"
        "每个迭代周期的损失是该步之前的损失。",
    },
    "test_train_ignores_gradients_left_from_before_the_call": {
        "en": "Gradients already in .grad before train is called do not change the first step.",
        "zh": "调用 train 之前就留在 `.grad` 中的梯度不影响第一步。",
    },
    "test_train_returns_the_mean_loss_of_each_epoch": {
        "en": "train returns a list of Python floats, one per epoch: the mean of that "
        "epoch's minibatch losses, weighted by their sizes.",
        "zh": "train 返回一个 Python 浮点数列表，每个迭代周期一个：该周期各小批量损失按大小"
        "加权的平均值。",
    },
    "test_train_updates_the_same_parameter_objects": {
        "en": "train updates the net's own Parameter objects in place: they stay trainable "
        "leaves, and each one changes.",
        "zh": "train 原地更新网络自己的那些 `Parameter` 对象：它们仍是可训练的叶子张量，"
        "并且每个都有变化。",
    },
    "test_train_minibatches_cover_every_example_once_per_epoch": {
        "en": "Each epoch uses every example exactly once, in batches of batch_size (only "
        "the last one smaller).",
        "zh": "每个迭代周期把每个样本恰好用一次，小批量大小为 batch_size（只有最后一个可以更小）。",
    },
    "test_train_leaves_the_net_in_training_mode": {
        "en": "After train, every module of the net is in training mode, even if it was "
        "handed over in eval mode.",
        "zh": "train 之后网络的每个模块都处于训练模式，即使传进来时处于评估模式。",
    },
}

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ synthetic_data
    "labels_a_row": {
        "en": "y has shape (num_examples,), a row, not a column: `net(X) - y` would then "
        "broadcast to a matrix. Return `y.reshape(-1, 1)`.",
        "zh": "y 的形状是 (num_examples,)，是一行而不是一列：这样 `net(X) - y` 会广播成一个"
        "矩阵。请返回 `y.reshape(-1, 1)`。",
    },
    "features_in_the_default_dtype": {
        "en": "X is float32, the default dtype, whatever w's dtype. Draw X with `dtype=w.dtype`.",
        "zh": "不管 w 是什么 dtype，X 都是默认的 float32。请用 `dtype=w.dtype` 采样 X。",
    },
    "noise_in_the_default_dtype": {
        "en": "X has w's dtype but y is float32: the noise was drawn in the default dtype, "
        "and adding it promoted y. Draw the noise with `dtype=w.dtype` too.",
        "zh": "X 的 dtype 与 w 相同，y 却是 float32：噪声是按默认 dtype 采样的，"
        "加上它就把 y 提升成了 float32。请也用 `dtype=w.dtype` 采样噪声。",
    },
    "no_noise": {
        "en": "y lies exactly on the plane X @ w + b: no noise was added. Add "
        "`torch.normal(0, 0.01, ...)` of y's shape.",
        "zh": "y 恰好落在平面 X @ w + b 上：没有加噪声。请加上与 y 形状相同的 "
        "`torch.normal(0, 0.01, ...)`。",
    },
    "noise_std_0_1": {
        "en": "The noise has standard deviation 0.1, not 0.01: 0.01 is the variance, and "
        "`torch.normal` takes the standard deviation. Pass 0.01.",
        "zh": "噪声的标准差是 0.1 而不是 0.01：0.01 是方差，而 `torch.normal` 要的是标准差。"
        "请传入 0.01。",
    },
    "uniform_features": {
        "en": "All of X lies in [0, 1): it was drawn uniformly (`torch.rand`). Draw from "
        "N(0, 1): `torch.randn` or `torch.normal(0, 1, ...)`.",
        "zh": "X 全部落在 [0, 1) 中：它是均匀采样的（`torch.rand`）。请从 N(0, 1) 采样："
        "`torch.randn` 或 `torch.normal(0, 1, ...)`。",
    },
    "reseeds_inside": {
        "en": "Two calls in a row returned the same X: synthetic_data reseeds torch itself. "
        "Do not call `torch.manual_seed` inside; seeding is the caller's job.",
        "zh": "连续两次调用返回了相同的 X：synthetic_data 自己重设了 torch 的种子。"
        "请不要在函数内调用 `torch.manual_seed`；设种子是调用者的事。",
    },
    # ------------------------------------------------------------ train
    "other_defaults": {
        "en": "train's signature declares other defaults than the book's. Declare "
        "`num_epochs=3, lr=0.03, batch_size=10`.",
        "zh": "train 的签名中声明的默认值与书中的不同。请声明 "
        "`num_epochs=3, lr=0.03, batch_size=10`。",
    },
    "losses_are_tensors": {
        "en": "train returned tensors, not Python floats: a tensor loss keeps its graph "
        "alive. Append `loss.item()`.",
        "zh": "train 返回的是张量而不是 Python 浮点数：张量形式的损失会让计算图一直存活。"
        "请记录 `loss.item()`。",
    },
    "parameters_never_change": {
        "en": "Training left every parameter exactly as it was: the update never reached "
        "the net. `p = p - lr * p.grad` only rebinds the name p. Update in place: "
        "`p -= lr * p.grad` under `torch.no_grad()`, or `optimizer.step()`.",
        "zh": "训练之后每个参数都原封不动：更新根本没有作用到网络上。`p = p - lr * p.grad` "
        "只是重新绑定了名字 p。请原地更新：在 `torch.no_grad()` 下执行 `p -= lr * p.grad`，"
        "或者用 `optimizer.step()`。",
    },
    "gradients_pile_up": {
        "en": "Each step followed its gradient plus what .grad already held: `backward()` "
        "adds into .grad. The gradients are not cleared before each `backward()` (never, "
        "or only after the step, as d2l's `sgd` does). Call `optimizer.zero_grad()` right "
        "before `loss.backward()`.",
        "zh": "每一步沿着的都是本步梯度加上 `.grad` 里原有的值：`backward()` 会把梯度累加到 "
        "`.grad` 上。梯度没有在每次 `backward()` 之前清零（从不清零，或者像 d2l 的 `sgd` "
        "那样只在更新之后清零）。请在 `loss.backward()` 之前调用 `optimizer.zero_grad()`。",
    },
    "summed_loss": {
        "en": "The steps are as many times too big as the batch has entries: the loss is "
        "the sum of the squared errors, not their mean. Use `nn.MSELoss()` (or `.mean()`).",
        "zh": "每一步都大了小批量元素个数那么多倍：损失是平方误差之和，而不是平均值。"
        "请用 `nn.MSELoss()`（或 `.mean()`）。",
    },
    "halved_loss": {
        "en": "The steps are half as big as they should be: the loss is half the squared "
        "error (d2l's `squared_loss`). Use `nn.MSELoss()`, the plain mean.",
        "zh": "每一步都只有应有大小的一半：损失是平方误差的一半（d2l 的 `squared_loss`）。"
        "请用 `nn.MSELoss()`，即不除以 2 的平均值。",
    },
    "loss_after_the_epoch": {
        "en": "The epoch's loss is the one measured after its steps. Record each step's own "
        "`loss.item()`, computed before the update, and average them.",
        "zh": "迭代周期的损失是在其各步之后才计算的。请记录每一步自己在更新之前算出的 "
        "`loss.item()`，再取平均。",
    },
    "last_batch_loss": {
        "en": "The epoch's loss is its last minibatch's loss. Add up `loss.item() * "
        "len(Xb)` over the epoch and divide by `len(X)`.",
        "zh": "迭代周期的损失是它最后一个小批量的损失。请在整个周期内累加 "
        "`loss.item() * len(Xb)`，再除以 `len(X)`。",
    },
    "sum_of_batch_losses": {
        "en": "The epoch's loss is the sum of its minibatch losses. Average them: add up "
        "`loss.item() * len(Xb)` and divide by `len(X)`.",
        "zh": "迭代周期的损失是各小批量损失之和。请取平均：累加 `loss.item() * len(Xb)`，"
        "再除以 `len(X)`。",
    },
    "new_parameter_objects": {
        "en": "After training the net holds new Parameter objects: an optimiser or a tied "
        "layer holding the old ones is left behind. Update the parameters in place.",
        "zh": "训练之后网络持有的是新的 `Parameter` 对象：持有旧参数的优化器或绑定的层"
        "就被落下了。请原地更新参数。",
    },
    "drops_the_last_batch": {
        "en": "Every minibatch has exactly batch_size examples: the last, smaller one is "
        "dropped. Split `torch.randperm(len(X))` with `.split(batch_size)`, which keeps it.",
        "zh": "每个小批量都恰好有 batch_size 个样本：最后那个较小的小批量被丢掉了。"
        "请用 `.split(batch_size)` 切分 `torch.randperm(len(X))`，它会保留最后一批。",
    },
    "with_replacement": {
        "en": "An epoch used some example twice: the minibatches are drawn with "
        "replacement. Split one permutation, `torch.randperm(len(X))`.",
        "zh": "一个迭代周期里有样本被用了两次：小批量是有放回地抽取的。"
        "请切分同一个排列 `torch.randperm(len(X))`。",
    },
    "eval_mode_kept": {
        "en": "A net handed over in eval mode is still in eval mode after train: train "
        "never switched it to training mode, or switched it back at the end. Call "
        "`net.train()` before the loop, and leave the net in training mode.",
        "zh": "传进来时处于评估模式的网络在 train 之后仍处于评估模式：train 从未把它切换到"
        "训练模式，或者在最后又切了回去。请在循环之前调用 `net.train()`，并让网络保持训练模式。",
    },
}
