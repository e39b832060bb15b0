"""Diagnoses for exercise 6 (reading and writing files): test function -> {"en", "zh"}."""

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ what is saved
    "test_a_tensor_round_trips_exactly": {
        "en": "A single tensor did not come back identical (type, dtype, shape, values): save "
        "it as it is with `torch.save` and return what `torch.load` gives, converting nothing "
        "on the way (no `.tolist()`, `.numpy()`, `.float()` or `.squeeze()`, no wrapping in a "
        "list). 0-d, empty, int64 and bool tensors must survive too.",
        "zh": "单个张量读回后不完全一样（类型、数据类型、形状或数值变了）：请用 `torch.save` "
        "原样保存，并返回 `torch.load` 读出的结果，中间不做任何转换（不要 `.tolist()`、"
        "`.numpy()`、`.float()`、`.squeeze()`，也不要包进列表）。0 维、空的、int64 和 bool "
        "张量也要原样读回。",
    },
    "test_nested_lists_tuples_and_dicts_round_trip_exactly": {
        "en": "A nested container did not come back as it was saved: making a dict the list "
        "of its values loses its keys, turning tuples into lists changes their type, and "
        "NumPy's `np.savez` keeps flat arrays only, not the lists, tuples and dicts around "
        "them. Pass the object itself to `torch.save`: it keeps every container, its type "
        "and its key order.",
        "zh": "嵌套的容器读回后与保存时不同：把字典换成其值组成的列表会丢掉键，把元组转成列表"
        "会改变类型，NumPy 的 `np.savez` 只保存扁平的数组，不保存外面的列表、元组和字典。"
        "请把对象本身交给 `torch.save`：它会保留每一层容器、容器的类型和键的顺序。",
    },
    "test_the_books_examples_round_trip": {
        "en": "The book's examples (a tensor `x`, the list `[x, y]`, the dict "
        "`{'x': x, 'y': y}`) did not round-trip: save each object unchanged with "
        "`torch.save` (a dict must stay a dict with its keys, not become the list of its "
        "values) and return what `torch.load` reads back.",
        "zh": "书中的例子（张量 `x`、列表 `[x, y]`、字典 `{'x': x, 'y': y}`）读回后与保存时"
        "不同：请用 `torch.save` 原样保存每个对象（字典要保持为带键的字典，不要变成其值的"
        "列表），并返回 `torch.load` 读出的结果。",
    },
    # ------------------------------------------------------------ what is refused
    "test_load_tensors_refuses_a_file_that_would_run_code": {
        "en": "load_tensors loaded a file that runs code when unpickled: "
        "`torch.load(..., weights_only=False)` and `pickle.load` execute whatever the file "
        "names. Load with `torch.load(path, weights_only=True)`, whose restricted unpickler "
        "raises an error on anything but tensors and plain containers (and save with "
        "`torch.save`, not `pickle.dump`).",
        "zh": "load_tensors 加载了一个反序列化时会执行代码的文件：`torch.load(..., "
        "weights_only=False)` 和 `pickle.load` 会执行文件里指定的任何函数。请用 "
        "`torch.load(path, weights_only=True)` 加载，它受限的反序列化器遇到张量和普通容器"
        "以外的东西就报错（保存也请用 `torch.save`，不要用 `pickle.dump`）。",
    },
    "test_load_tensors_says_weights_only_itself": {
        "en": "With `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1` set, load_tensors ran a malicious "
        "file's code: it relies on torch.load's default (no `weights_only` argument), which "
        "that variable switches off. Write `weights_only=True` in the call yourself. (If "
        "instead the tuple `(tensor,)` came back as a list, save the object as it is: no "
        "conversion, no NumPy.)",
        "zh": "设置了 `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1` 后，load_tensors 执行了恶意文件中的"
        "代码：它依赖 torch.load 的默认值（没有写 `weights_only` 参数），而这个环境变量会"
        "关掉该默认值。请在调用中亲自写上 `weights_only=True`。（如果是元组 `(tensor,)` "
        "读回成了列表：请原样保存对象，不要转换，也不要经过 NumPy。）",
    },
    # ------------------------------------------------------------ model parameters
    "test_save_params_writes_the_state_dict_only": {
        "en": "save_params did not write exactly `model.state_dict()`: `torch.save(model, "
        "path)` pickles the whole model with its class, which `torch.load(..., "
        "weights_only=True)` refuses, and `dict(model.named_parameters())` or "
        "`model.parameters()` lose the buffers (BatchNorm's running_mean, running_var, "
        "num_batches_tracked). Save the state dict, buffers included.",
        "zh": "save_params 写入的不恰好是 `model.state_dict()`：`torch.save(model, path)` 会把"
        "整个模型连同它的类一起序列化，`torch.load(..., weights_only=True)` 会拒绝加载；"
        "`dict(model.named_parameters())` 或 `model.parameters()` 会丢掉缓冲区（BatchNorm "
        "的 running_mean、running_var、num_batches_tracked）。请保存包含缓冲区的状态字典。",
    },
    "test_load_params_clones_the_books_mlp": {
        "en": "load_params must load into the model it is given and return that very object: "
        "returning nothing (None), what `load_state_dict` returns (its missing and "
        "unexpected keys), or a `copy.deepcopy` or new model loaded instead all fail. Call "
        "`load_state_dict` on the given model, then return the model.",
        "zh": "load_params 应把参数加载进传入的那个模型，并返回这个对象本身：什么都不返回"
        "（None）、返回 `load_state_dict` 的返回值（缺失和多余的键），或加载进 "
        "`copy.deepcopy` 出的副本、新建的模型再返回，都不对。请对传入的模型调用 "
        "`load_state_dict`，然后返回这个模型。",
    },
    "test_save_then_load_params_keeps_buffers": {
        "en": "A net with BatchNorm, saved and loaded into a fresh copy, lost its state: "
        "save_params must write the whole `state_dict()` (parameters and buffers such as "
        "running_mean and running_var; not `named_parameters()`, not the pickled model), and "
        "load_params must load it into the given model and return that model (not None, "
        "not a copy, not `load_state_dict`'s result).",
        "zh": "含 BatchNorm 的网络保存后再加载进一个新网络，状态丢了：save_params 必须写入完整"
        "的 `state_dict()`（参数加上 running_mean、running_var 等缓冲区；不是 "
        "`named_parameters()`，也不是序列化的整个模型），load_params 必须把它加载进传入的"
        "模型并返回该模型（不是 None、不是副本，也不是 `load_state_dict` 的返回值）。",
    },
    "test_load_params_is_strict": {
        "en": "load_params accepted a state dict with a missing or unexpected key: "
        "`load_state_dict(state, strict=False)` silently skips them (and a try/except around "
        "the call hides the error). Keep the default, strict loading, and let its "
        "RuntimeError propagate.",
        "zh": "load_params 接受了缺少键或有多余键的状态字典：`load_state_dict(state, "
        "strict=False)` 会悄悄跳过它们（在调用外包一层 try/except 也会掩盖错误）。"
        "请保持默认的严格加载，让它抛出的 RuntimeError 传出去。",
    },
    "test_load_params_loads_a_gpu_checkpoint_on_the_cpu": {
        "en": "load_params cannot load a checkpoint saved on a GPU on a machine without one: "
        "torch.load puts every tensor back on the device it was saved from unless you pass "
        "`map_location='cpu'`. Add it to the torch.load call (load_state_dict then copies "
        "the values into the model's parameters), and return the model itself.",
        "zh": "在没有 GPU 的机器上，load_params 加载不了在 GPU 上保存的检查点：除非传入 "
        "`map_location='cpu'`，torch.load 会把每个张量放回保存时所在的设备。请在 torch.load "
        "调用中加上这个参数（之后 load_state_dict 把数值复制进模型的参数），并返回模型本身。",
    },
    "test_load_params_refuses_a_file_that_would_run_code": {
        "en": "load_params ran the code hidden in a malicious checkpoint: `torch.load(..., "
        "weights_only=False)` unpickles anything, and leaving `weights_only` out relies on a "
        "default that `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1` switches off. Pass "
        "`weights_only=True` explicitly, next to `map_location='cpu'`.",
        "zh": "load_params 执行了恶意检查点中隐藏的代码：`torch.load(..., weights_only=False)` "
        "什么都会反序列化，而不写 `weights_only` 则依赖一个会被 "
        "`TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1` 关掉的默认值。请显式传入 `weights_only=True`，"
        "与 `map_location='cpu'` 一起。",
    },
}
