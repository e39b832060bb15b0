"""Exercise 6 (reading and writing files): what each check checks, and the mistakes whose
signatures its verdicts recognise (grader/diagnoses.py)."""

CHECKS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ what is saved
    "test_a_tensor_round_trips_exactly": {
        "en": "A tensor saved with save_tensors comes back from load_tensors identical: type, "
        "dtype, shape and values (0-d, empty, int64 and bool tensors too).",
        "zh": "用 save_tensors 保存的张量经 load_tensors 读回后完全一样：类型、数据类型、形状"
        "和数值都不变（0 维、空的、int64 和 bool 张量也一样）。",
    },
    "test_nested_lists_tuples_and_dicts_round_trip_exactly": {
        "en": "Nested lists, tuples and dicts of tensors come back as they were saved: each "
        "container's type, its keys and their order, and every tensor.",
        "zh": "由张量组成的嵌套列表、元组和字典读回后与保存时相同：每层容器的类型、键及其顺序，"
        "以及每个张量都不变。",
    },
    "test_the_books_examples_round_trip": {
        "en": "The book's examples round-trip: the tensor x, the list [x, y] and the dict "
        "{'x': x, 'y': y}.",
        "zh": "书中的例子能原样读回：张量 x、列表 [x, y] 和字典 {'x': x, 'y': y}。",
    },
    # ------------------------------------------------------------ what is refused
    "test_load_tensors_refuses_a_file_that_would_run_code": {
        "en": "load_tensors refuses, with an error, a file that runs code when unpickled, and "
        "its code never runs.",
        "zh": "load_tensors 遇到反序列化时会执行代码的文件会报错拒绝，文件中的代码不会执行。",
    },
    "test_load_tensors_says_weights_only_itself": {
        "en": "load_tensors refuses such a file even with TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1 "
        "set, and a tuple still round-trips.",
        "zh": "即使设置了 TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1，load_tensors 仍拒绝这样的文件，"
        "元组也仍能原样读回。",
    },
    # ------------------------------------------------------------ model parameters
    "test_save_params_writes_the_state_dict_only": {
        "en": "save_params writes exactly model.state_dict(), buffers included, in a file "
        "torch.load(..., weights_only=True) reads.",
        "zh": "save_params 写入的恰好是 model.state_dict()（包括缓冲区），并且 "
        "torch.load(..., weights_only=True) 能读取该文件。",
    },
    "test_load_params_clones_the_books_mlp": {
        "en": "load_params loads a saved state dict into the book's MLP and returns that same "
        "model, which then computes the original's output.",
        "zh": "load_params 把保存的状态字典加载进书中的 MLP 并返回同一个模型，它随后算出与原"
        "模型相同的输出。",
    },
    "test_save_then_load_params_keeps_buffers": {
        "en": "A net with BatchNorm, saved with save_params and loaded with load_params into a "
        "fresh one, gets back every parameter and buffer.",
        "zh": "含 BatchNorm 的网络用 save_params 保存、再用 load_params 加载进新网络后，每个"
        "参数和缓冲区都恢复原样。",
    },
    "test_load_params_is_strict": {
        "en": "load_params raises an error on a state dict with a missing, an unexpected or a "
        "misshaped key.",
        "zh": "状态字典缺少键、有多余的键或张量形状不对时，load_params 会报错。",
    },
    "test_load_params_loads_a_gpu_checkpoint_on_the_cpu": {
        "en": "load_params loads a checkpoint saved on a GPU on a machine without one, onto the "
        "CPU, and returns the model.",
        "zh": "在没有 GPU 的机器上，load_params 能把在 GPU 上保存的检查点加载到 CPU 上，并返回"
        "模型。",
    },
    "test_load_params_refuses_a_file_that_would_run_code": {
        "en": "load_params refuses a checkpoint that runs code when unpickled, with or without "
        "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1.",
        "zh": "无论是否设置 TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1，load_params 都拒绝反序列化时"
        "会执行代码的检查点。",
    },
}

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ what is saved
    "numpy_arrays": {
        "en": "save_tensors converts through NumPy (`.numpy()`, `np.savez`), which keeps flat "
        "arrays only, not the lists, tuples and dicts around them. Pass the object itself "
        "to `torch.save`.",
        "zh": "save_tensors 经过 NumPy 转换（`.numpy()`、`np.savez`），NumPy 只保存扁平的数组，"
        "不保存外面的列表、元组和字典。请把对象本身交给 `torch.save`。",
    },
    "dicts_to_lists": {
        "en": "A dict came back as the list of its values: its keys were lost before saving. "
        "Save the dict itself; `torch.save` keeps its keys and their order.",
        "zh": "字典读回后变成了其值组成的列表：保存之前就丢掉了键。请保存字典本身；"
        "`torch.save` 会保留键及其顺序。",
    },
    "tuples_to_lists": {
        "en": "Tuples came back as lists: they were converted before saving. Save the object "
        "as it is; `torch.save` keeps a tuple a tuple.",
        "zh": "元组读回后变成了列表：保存之前被转换了。请原样保存对象；`torch.save` 会让元组"
        "保持为元组。",
    },
    # ------------------------------------------------------------ what is refused
    "pickle_module": {
        "en": "save_tensors writes a plain pickle, and the malicious file's code ran: the "
        "`pickle` module runs whatever a file names. Use `torch.save`, and "
        "`torch.load(..., weights_only=True)`.",
        "zh": "save_tensors 写出的是普通 pickle 文件，而且恶意文件中的代码执行了：`pickle` "
        "模块会执行文件里指定的任何东西。请用 `torch.save` 和 "
        "`torch.load(..., weights_only=True)`。",
    },
    "weights_only_false": {
        "en": "The malicious file's code ran under torch's default settings: the load unpickles "
        "anything (`weights_only=False`, or `pickle.load`). Pass `weights_only=True` to "
        "`torch.load`.",
        "zh": "在 torch 的默认设置下，恶意文件中的代码也执行了：加载时什么都反序列化"
        "（`weights_only=False` 或 `pickle.load`）。请给 `torch.load` 传入 "
        "`weights_only=True`。",
    },
    "relies_on_default": {
        "en": "The malicious file was refused under torch's default but ran with "
        "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1: the `torch.load` call relies on the default "
        "`weights_only`, which that variable turns off. Write `weights_only=True` yourself.",
        "zh": "在 torch 的默认设置下恶意文件被拒绝，但设置 TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1 "
        "后其代码执行了：`torch.load` 调用依赖 `weights_only` 的默认值，而这个环境变量会关掉"
        "它。请亲自写上 `weights_only=True`。",
    },
    # ------------------------------------------------------------ model parameters
    "whole_model": {
        "en": "The file save_params wrote holds an nn.Module class, which "
        "`torch.load(..., weights_only=True)` refuses: `torch.save(model, path)` pickles the "
        "whole model. Save `model.state_dict()`.",
        "zh": "save_params 写出的文件里含有 nn.Module 类，`torch.load(..., weights_only=True)` "
        "会拒绝它：`torch.save(model, path)` 序列化了整个模型。请保存 "
        "`model.state_dict()`。",
    },
    "parameters_only": {
        "en": "The saved file holds the parameters but not the buffers (BatchNorm's "
        "running_mean, running_var, num_batches_tracked): `named_parameters()` or "
        "`parameters()` leave them out. Save `model.state_dict()`.",
        "zh": "保存的文件里有参数，却没有缓冲区（BatchNorm 的 running_mean、running_var、"
        "num_batches_tracked）：`named_parameters()` 或 `parameters()` 不包含它们。请保存 "
        "`model.state_dict()`。",
    },
    "returns_none": {
        "en": "load_params returned None: it loads the parameters but returns nothing. Return "
        "the model it was given.",
        "zh": "load_params 返回了 None：它加载了参数，却什么都没返回。请返回传入的模型。",
    },
    "returns_load_result": {
        "en": "load_params returned what `load_state_dict` returns (its missing and unexpected "
        "keys), not the model. Call it, then return the model.",
        "zh": "load_params 返回的是 `load_state_dict` 的返回值（缺失和多余的键），而不是模型。"
        "请先调用它，再返回模型。",
    },
    "returns_a_copy": {
        "en": "load_params returned another model of the same class (a copy or a new one), not "
        "the one it was given. Load into the given model and return it.",
        "zh": "load_params 返回的是同一个类的另一个模型（副本或新建的），而不是传入的那个。请"
        "加载进传入的模型并返回它。",
    },
    "strict_false": {
        "en": "load_params accepted a state dict whose keys do not match, yet refused a tensor "
        "of the wrong shape: that is what `load_state_dict(..., strict=False)` does. Keep "
        "the default, strict=True.",
        "zh": "load_params 接受了键对不上的状态字典，却拒绝了形状不对的张量：这正是 "
        "`load_state_dict(..., strict=False)` 的行为。请保持默认值 strict=True。",
    },
    "no_map_location": {
        "en": "torch.load tried to put the checkpoint back on the GPU it was saved from, and "
        "there is none. Pass `map_location='cpu'` to `torch.load`.",
        "zh": "torch.load 试图把检查点放回保存时所在的 GPU，而这台机器没有 GPU。请给 "
        "`torch.load` 传入 `map_location='cpu'`。",
    },
}
