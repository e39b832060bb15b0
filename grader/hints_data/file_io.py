"""Progressive hints for exercise 6 (reading and writing files): contract name ->
{"en": [...], "zh": [...]}."""

HINTS: dict[str, dict[str, list[str]]] = {
    "save_tensors": {
        "en": [
            "Read d2l “File I/O”, loading and saving tensors (加载和保存张量): one function "
            "call writes a tensor, a list of tensors or a dict from strings to tensors.",
            "`torch.save` takes the object and a path (or an open file). It stores each "
            "tensor with its dtype and shape, and pickles the containers around them, nested "
            "as deep as you like.",
            "Convert nothing first: no `.numpy()` or `np.savez` (they keep flat arrays only), "
            "no turning tuples into lists or dicts into their values. What is loaded must "
            "have the same container types and key order as what was saved.",
            "The whole body is a single `torch.save` call: `obj` unchanged as its first "
            "argument, `path` as its second.",
        ],
        "zh": [
            "阅读 d2l「读写文件」中的加载和保存张量：一次函数调用就能写入一个张量、一个张量列表，"
            "或从字符串映射到张量的字典。",
            "`torch.save` 接受要保存的对象和一个路径（或已打开的文件）。它保存每个张量的数据类型"
            "和形状，并用 pickle 序列化外面的容器，嵌套多深都可以。",
            "事先什么都不要转换：不要 `.numpy()` 或 `np.savez`（它们只保存扁平的数组），不要把"
            "元组变成列表，也不要把字典变成它的值。读回的对象必须与保存的对象有相同的容器类型"
            "和键的顺序。",
            "整个函数体就是一次 `torch.save` 调用：第一个参数是原封不动的 `obj`，第二个参数是 "
            "`path`。",
        ],
    },
    "load_tensors": {
        "en": [
            "Read d2l “File I/O”: `torch.load` reads back what `torch.save` wrote. Then read "
            "the warning in the documentation of `torch.load` about files you do not trust.",
            "Unpickling can call any function the file names, so a downloaded file can run "
            "code on your machine. `torch.load` has a restricted mode that only rebuilds "
            "tensors and plain containers and raises an error on anything else.",
            "That mode is the `weights_only` argument. It defaults to True since torch 2.6, "
            "but the environment variable `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1` switches the "
            "default off: do not rely on it.",
            "Return what `torch.load` reads from `path` with `weights_only=True` written out "
            "in the call. Never `pickle.load`, never `weights_only=False`, and do not catch "
            "the error it raises on a malicious file.",
        ],
        "zh": [
            "阅读 d2l「读写文件」：`torch.load` 读回 `torch.save` 写入的内容。再读一读 "
            "`torch.load` 文档中关于不可信文件的警告。",
            "反序列化（unpickle）可以调用文件中指定的任何函数，所以一个下载来的文件能在你的机器"
            "上执行代码。`torch.load` 有一种受限模式，只重建张量和普通容器，遇到其他东西就报错。",
            "这种模式就是 `weights_only` 参数。从 torch 2.6 起它默认为 True，但环境变量 "
            "`TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1` 会关掉这个默认值：不要依赖它。",
            "返回 `torch.load` 从 `path` 读出的结果，并在调用中明确写上 `weights_only=True`。"
            "绝不要用 `pickle.load`，绝不要 `weights_only=False`，也不要捕获它在恶意文件上"
            "抛出的错误。",
        ],
    },
    "save_params": {
        "en": [
            "Read d2l “File I/O”, loading and saving model parameters (加载和保存模型参数): "
            "the book saves a model's parameters, not the model itself.",
            "`model.state_dict()` is an ordered dict from names such as `hidden.weight` to "
            "tensors, buffers included (BatchNorm's running_mean, running_var and "
            "num_batches_tracked).",
            "Pickling the whole model (`torch.save(model, ...)`) stores its class, which "
            "`weights_only=True` refuses to load; `named_parameters()` and `parameters()` "
            "miss the buffers.",
            "One call: `torch.save` of the model's state dict, to `path`.",
        ],
        "zh": [
            "阅读 d2l「读写文件」中的加载和保存模型参数：书中保存的是模型的参数，而不是模型本身。",
            "`model.state_dict()` 是一个有序字典，把 `hidden.weight` 这样的名字映射到张量，"
            "其中也包括缓冲区（BatchNorm 的 running_mean、running_var 和 num_batches_tracked）。",
            "序列化整个模型（`torch.save(model, ...)`）会保存它的类，`weights_only=True` 会拒绝"
            "加载；`named_parameters()` 和 `parameters()` 会漏掉缓冲区。",
            "一次调用：用 `torch.save` 把模型的状态字典保存到 `path`。",
        ],
    },
    "load_params": {
        "en": [
            "Read d2l “File I/O”, loading model parameters: build the same architecture in "
            "code, then copy the saved values into it (the book's `clone`).",
            "Read the file with `torch.load`, `weights_only=True` written out (as in "
            "load_tensors) and `map_location='cpu'`, so that a checkpoint saved on a GPU "
            "loads on a machine without one.",
            "Copy the values in with the model's `load_state_dict` and keep its default, "
            "strict=True: a missing, unexpected or misshaped key must raise its RuntimeError, "
            "so no `strict=False` and no try/except around it.",
            "`load_state_dict` returns a report of missing and unexpected keys, not the model: "
            "after the call, return the `model` you were given (not None, not a copy).",
        ],
        "zh": [
            "阅读 d2l「读写文件」中的加载模型参数：先在代码里构建同样的架构，再把保存的数值复制"
            "进去（书中的 `clone`）。",
            "用 `torch.load` 读文件，明确写上 `weights_only=True`（与 load_tensors 一样）和 "
            "`map_location='cpu'`，这样在 GPU 上保存的检查点在没有 GPU 的机器上也能加载。",
            "用模型的 `load_state_dict` 把数值复制进去，并保持默认的 strict=True：缺少的、多余的"
            "或形状不对的键都必须抛出 RuntimeError，所以不要 `strict=False`，也不要用 "
            "try/except 包住它。",
            "`load_state_dict` 返回的是缺失键和多余键的报告，而不是模型：调用之后，返回传入的 "
            "`model`（不是 None，也不是副本）。",
        ],
    },
}
