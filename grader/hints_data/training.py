"""Progressive hints for exercise 9 (training your own layers): contract name ->
{"en": [...], "zh": [...]}."""

HINTS: dict[str, dict[str, list[str]]] = {
    "synthetic_data": {
        "en": [
            "A data set whose answer you know: features drawn at random, labels from a known "
            "linear model plus a little noise. Read 'Linear Regression Implementation from "
            "Scratch' in d2l (generating the data set) or the 'Synthetic Regression Data' "
            "section.",
            "X has one row per example and one column per entry of w: shape "
            "`(num_examples, len(w))`, each entry from N(0, 1). `torch.normal(mean, std, "
            "size, dtype=...)` draws it with torch's global generator; pass w's dtype.",
            "The labels are the matrix-vector product `X @ w` plus b, plus noise drawn the "
            "same way with mean 0 and standard deviation 0.01 (torch.normal takes the "
            "standard deviation, not the variance). Do not call `torch.manual_seed` inside.",
            "`X @ w` has shape `(num_examples,)`: return y as a column, `y.reshape(-1, 1)`, "
            "next to X, and check that both have `w.dtype`.",
        ],
        "zh": [
            "一个答案已知的数据集：特征随机采样，标签由已知的线性模型加上一点噪声得到。"
            "请读 d2l 的“线性回归的从零开始实现”一节中“生成数据集”的部分。",
            "X 每个样本一行、w 的每个分量一列：形状为 `(num_examples, len(w))`，"
            "每个元素来自 N(0, 1)。`torch.normal(mean, std, size, dtype=...)` "
            "用 torch 的全局生成器采样；传入 w 的 dtype。",
            "标签是矩阵-向量乘积 `X @ w` 加上 b，再加上同样方式采样的噪声：均值 0、标准差 0.01"
            "（`torch.normal` 要的是标准差，不是方差）。函数内不要调用 `torch.manual_seed`。",
            "`X @ w` 的形状是 `(num_examples,)`：把 y 变成一列 `y.reshape(-1, 1)`，"
            "与 X 一起返回，并确认两者的 dtype 都是 `w.dtype`。",
        ],
    },
    "train": {
        "en": [
            "The training loop of the book: for each epoch, for each minibatch, compute the "
            "loss, clear the gradients, backpropagate, update. Read 'Concise Implementation "
            "of Linear Regression' in d2l (training) and this exercise's README.",
            "Build the pieces once, before the loops: the loss `nn.MSELoss()` (the mean, not "
            "the sum) and the optimiser `torch.optim.SGD` over `net.parameters()` with "
            "learning rate `lr`. Call `net.train()` first.",
            "Minibatches: shuffle the indices with `torch.randperm(len(X))` and cut them "
            "with `.split(batch_size)` (the last piece may be smaller), or slice X and y in "
            "steps of `batch_size`. Every example lands in exactly one minibatch.",
            "Each step, in this order: the loss of `net(Xb)` against `yb`, `zero_grad()` "
            "(backward adds into .grad), `loss.backward()`, `optimizer.step()`. Accumulate "
            "`loss.item()` weighted by the minibatch size, and append that sum divided by "
            "`len(X)` at the end of each epoch.",
        ],
        "zh": [
            "这就是书中的训练循环：对每个迭代周期、每个小批量，计算损失、清除梯度、反向传播、更新参数。"
            "请读 d2l 的“线性回归的简洁实现”一节中“训练”的部分，以及本练习的 README。",
            "在循环之前先准备好各部分：损失 `nn.MSELoss()`（取平均，不是求和），"
            "以及作用于 `net.parameters()`、学习率为 `lr` 的优化器 `torch.optim.SGD`。"
            "先调用 `net.train()`。",
            "小批量：用 `torch.randperm(len(X))` 打乱下标，再用 `.split(batch_size)` 切分"
            "（最后一段可以小一些），或者按 `batch_size` 的步长对 X 和 y 切片。"
            "每个样本恰好落在一个小批量里。",
            "每一步依次做：`net(Xb)` 与 `yb` 的损失、`zero_grad()`（`backward` 会把梯度累加到 "
            "`.grad` 上）、`loss.backward()`、`optimizer.step()`。按小批量大小加权累加 "
            "`loss.item()`，每个迭代周期结束时把总和除以 `len(X)` 追加到列表里。",
        ],
    },
}
