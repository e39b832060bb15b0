"""Exercise 7 (GPUs and devices): what each check checks, and the mistakes whose
signatures its verdicts recognise (grader/diagnoses.py)."""

CHECKS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ discovery
    "test_num_gpus_counts_cuda_devices": {
        "en": "num_gpus() is the number of CUDA devices, an int (0 on a machine without GPUs).",
        "zh": "num_gpus() 是 CUDA 设备的数量，类型为 int（没有 GPU 的机器上为 0）。",
    },
    "test_try_gpu_returns_gpu_i_when_it_exists": {
        "en": "try_gpu(i) is torch.device('cuda:i') when GPU i exists, else torch.device('cpu').",
        "zh": "第 i 号 GPU 存在时 try_gpu(i) 为 torch.device('cuda:i')，否则为 "
        "torch.device('cpu')。",
    },
    "test_try_gpu_defaults_to_the_first_gpu": {
        "en": "try_gpu() is torch.device('cuda:0') when there is a GPU, else torch.device('cpu').",
        "zh": "有 GPU 时 try_gpu() 为 torch.device('cuda:0')，否则为 torch.device('cpu')。",
    },
    "test_try_all_gpus_lists_every_gpu_or_the_cpu": {
        "en": "try_all_gpus() is the list of torch.device cuda:0 … cuda:n-1, or "
        "[torch.device('cpu')] when there is no GPU.",
        "zh": "try_all_gpus() 是由 torch.device cuda:0 … cuda:n-1 组成的列表，没有 GPU 时为 "
        "[torch.device('cpu')]。",
    },
    # ------------------------------------------------------------ moving things
    "test_to_device_moves_a_tensor": {
        "en": "to_device(tensor, device) returns the tensor on that device (device a string or "
        "a torch.device), with its shape and dtype.",
        "zh": "to_device(tensor, device) 返回位于该设备上的张量（device 可以是字符串或 "
        "torch.device），形状和数据类型不变。",
    },
    "test_to_device_moves_nested_structures_keeping_their_types": {
        "en": "to_device moves every tensor of a nested structure and gives back each "
        "container with its own type, keys and order, and every other value unchanged.",
        "zh": "to_device 移动嵌套结构中的每个张量，每个容器按原来的类型、键和顺序返回，其他值"
        "原样返回。",
    },
    "test_to_device_keeps_named_tuples": {
        "en": "to_device gives back a named tuple Pair(first, second) as a Pair, its tensors "
        "moved and its string unchanged.",
        "zh": "to_device 把命名元组 Pair(first, second) 仍作为 Pair 返回，其中的张量已移动，"
        "字符串不变。",
    },
    "test_to_device_returns_other_values_unchanged": {
        "en": "to_device gives back None, ints, floats and strings unchanged, alone or in a list.",
        "zh": "to_device 把 None、int、float 和字符串原样返回，无论单独传入还是在列表中。",
    },
    "test_to_device_moves_a_module_with_its_parameters_and_buffers": {
        "en": "to_device(module, device) moves the module itself, parameters and buffers, and "
        "returns that same module.",
        "zh": "to_device(module, device) 移动模块本身（参数和缓冲区），并返回同一个模块。",
    },
    "test_to_device_moves_modules_inside_containers": {
        "en": "In a dict, to_device moves a module in place, moves the tensors of a nested "
        "list, and keeps other values such as the int 7.",
        "zh": "在字典中，to_device 原地移动其中的模块，移动嵌套列表里的张量，并保留整数 7 "
        "这样的其他值。",
    },
}

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ discovery
    "num_gpus_is_available": {
        "en": "num_gpus returned a bool: `torch.cuda.is_available()` says whether there is a "
        "GPU, not how many. Return `torch.cuda.device_count()`.",
        "zh": "num_gpus 返回了 bool：`torch.cuda.is_available()` 只说明有没有 GPU，不说明有"
        "几块。请返回 `torch.cuda.device_count()`。",
    },
    "num_gpus_counts_the_cpu": {
        "en": "With no GPU, num_gpus returned 1: it counts the CPU fallback, as "
        "`len(try_all_gpus())` does. Return `torch.cuda.device_count()`.",
        "zh": "没有 GPU 时 num_gpus 返回了 1：它把后备的 CPU 也算了进去，"
        "`len(try_all_gpus())` 就是这样。请返回 `torch.cuda.device_count()`。",
    },
    "strings_not_devices": {
        "en": "A device came back as a string such as 'cuda:0', not a torch.device "
        "(`torch.device('cpu') == 'cpu'` is False). Return `torch.device(...)`.",
        "zh": "设备以 'cuda:0' 这样的字符串返回，而不是 torch.device"
        "（`torch.device('cpu') == 'cpu'` 为 False）。请返回 `torch.device(...)`。",
    },
    "claims_one_too_many": {
        "en": "try_gpu(i) offers cuda:i when there are only i GPUs: the check is "
        "`device_count() >= i`. GPU i exists when `device_count() >= i + 1`.",
        "zh": "只有 i 块 GPU 时 try_gpu(i) 也给出 cuda:i：判断条件写成了 "
        "`device_count() >= i`。第 i 号 GPU 存在的条件是 `device_count() >= i + 1`。",
    },
    "never_the_last_gpu": {
        "en": "try_gpu never offers the last GPU: the check is `device_count() > i + 1`. GPU i "
        "exists when `device_count() >= i + 1`.",
        "zh": "try_gpu 从不给出最后一块 GPU：判断条件写成了 `device_count() > i + 1`。"
        "第 i 号 GPU 存在的条件是 `device_count() >= i + 1`。",
    },
    "ignores_the_index": {
        "en": "try_gpu(i) offers cuda:i for every i as soon as there is one GPU: it asks "
        "`torch.cuda.is_available()` only. Compare `torch.cuda.device_count()` with i + 1.",
        "zh": "只要有一块 GPU，try_gpu(i) 对任何 i 都给出 cuda:i：它只问了 "
        "`torch.cuda.is_available()`。请把 `torch.cuda.device_count()` 与 i + 1 比较。",
    },
    "no_cpu_fallback": {
        "en": "With no GPU, try_all_gpus returned an empty list, which leaves the caller no "
        "device. Return `[torch.device('cpu')]` then.",
        "zh": "没有 GPU 时 try_all_gpus 返回了空列表，调用者就一个设备都没有。此时请返回 "
        "`[torch.device('cpu')]`。",
    },
    # ------------------------------------------------------------ moving things
    "ordered_dict_became_dict": {
        "en": "An OrderedDict came back as a plain dict: a dict comprehension always builds a "
        "dict. Rebuild a mapping with `type(obj)(...)`.",
        "zh": "OrderedDict 返回时变成了普通 dict：字典推导式总是构造 dict。请用 "
        "`type(obj)(...)` 重建映射。",
    },
    "named_tuple_from_one_iterable": {
        "en": "Rebuilding a named tuple failed: `type(obj)(generator)` passes one argument, "
        "but a named tuple takes its fields as separate arguments. Unpack them with `*`.",
        "zh": "重建命名元组时出错：`type(obj)(生成器)` 只传了一个参数，而命名元组要求每个字段"
        "作为单独的参数。请用 `*` 解包。",
    },
    "named_tuple_lost": {
        "en": "A named tuple came back as a plain tuple: `tuple(...)` drops its type. Rebuild "
        "it with `type(obj)(*fields)`, before the case for plain tuples.",
        "zh": "命名元组返回时变成了普通元组：`tuple(...)` 丢掉了它的类型。请在处理普通元组"
        "之前，用 `type(obj)(*字段)` 重建它。",
    },
    "tuples_became_lists": {
        "en": "Tuples came back as lists: a list comprehension builds a list whatever the "
        "input was. Rebuild each sequence with its own type.",
        "zh": "元组返回时变成了列表：无论输入是什么，列表推导式都构造列表。请按每个序列原来"
        "的类型重建它。",
    },
    "not_recursive": {
        "en": "Only the top level was moved: tensors inside nested containers stayed where "
        "they were. Call to_device on each element, so that it recurses.",
        "zh": "只移动了最外层：嵌套容器里的张量留在了原处。请对每个元素调用 to_device，让它"
        "递归下去。",
    },
    "other_values_dropped": {
        "en": "Values that are neither tensors, modules nor containers came back as None. "
        "Return them unchanged: `return obj` at the end.",
        "zh": "既不是张量、模块也不是容器的值返回成了 None。请原样返回它们：最后 `return obj`。",
    },
    "strings_recursed": {
        "en": "A string came back as the repr of a generator: a str is a "
        "`collections.abc.Sequence`, so to_device rebuilt it. Test for list and tuple "
        "explicitly.",
        "zh": "字符串返回成了生成器的 repr：str 是 `collections.abc.Sequence`，于是 "
        "to_device 重建了它。请显式判断 list 和 tuple。",
    },
    "module_not_moved": {
        "en": "The module came back untouched, every parameter and buffer still on the CPU: "
        "to_device moves tensors only. Call `module.to(device)` for an nn.Module.",
        "zh": "模块原样返回，所有参数和缓冲区仍在 CPU 上：to_device 只移动了张量。对 "
        "nn.Module 请调用 `module.to(device)`。",
    },
    "module_copied": {
        "en": "to_device returned another module of the same class, a copy: the caller's "
        "module stays where it was. `module.to(device)` moves the module itself and returns "
        "it.",
        "zh": "to_device 返回了同一个类的另一个模块，即副本：调用者的模块留在原处。"
        "`module.to(device)` 会移动模块本身并返回它。",
    },
    "parameters_one_by_one": {
        "en": "Assigning a parameter's `.data` a moved tensor failed: `p.data = "
        "p.data.to(device)` moves parameters one by one and leaves buffers behind. Call "
        "`module.to(device)`.",
        "zh": "给参数的 `.data` 赋值为移动后的张量时出错：`p.data = p.data.to(device)` 逐个"
        "移动参数，还会落下缓冲区。请调用 `module.to(device)`。",
    },
}
