"""Diagnoses for exercise 7 (GPUs and devices): test function -> {"en", "zh"}."""

DIAGNOSES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ discovery
    "test_num_gpus_counts_cuda_devices": {
        "en": "num_gpus must return the number of CUDA devices, an int: "
        "`torch.cuda.is_available()` is a bool (True is not 2), and `len(try_all_gpus())` "
        "counts the CPU fallback, so it is 1 on a machine without GPUs. Ask "
        "`torch.cuda.device_count()`.",
        "zh": "num_gpus 应返回 CUDA 设备的数量（int）：`torch.cuda.is_available()` 是 bool"
        "（True 不等于 2），`len(try_all_gpus())` 把后备的 CPU 也算了进去，在没有 GPU 的机器"
        "上得到 1。请用 `torch.cuda.device_count()`。",
    },
    "test_try_gpu_returns_gpu_i_when_it_exists": {
        "en": "try_gpu(i) must be the torch.device `cuda:i` exactly when GPU i exists, i.e. "
        "when `torch.cuda.device_count() >= i + 1`, else `torch.device('cpu')`: `>= i` claims "
        "one GPU too many, `> i + 1` never uses the last one, `torch.cuda.is_available()` "
        "alone ignores i, and a string such as 'cuda:0' is not a torch.device (nor GPU i).",
        "zh": "try_gpu(i) 应恰好在第 i 号 GPU 存在，即 `torch.cuda.device_count() >= i + 1` "
        "时返回 torch.device `cuda:i`，否则返回 `torch.device('cpu')`：写成 `>= i` 会多认"
        "一块 GPU，`> i + 1` 永远用不上最后一块，只看 `torch.cuda.is_available()` 会忽略 "
        "i；'cuda:0' 这样的字符串不是 torch.device（也不是第 i 号 GPU）。",
    },
    "test_try_gpu_defaults_to_the_first_gpu": {
        "en": "try_gpu() with no argument must be `torch.device('cuda:0')` when there is at "
        "least one GPU and `torch.device('cpu')` when there is none: give `i` the default 0, "
        "compare `torch.cuda.device_count()` with i + 1 (`>= i` offers cuda:0 on a machine "
        "without GPUs, `> i + 1` needs two of them), and return a torch.device, not a "
        "string.",
        "zh": "不带参数的 try_gpu() 在至少有一块 GPU 时应返回 `torch.device('cuda:0')`，没有"
        "时返回 `torch.device('cpu')`：`i` 的默认值设为 0，把 `torch.cuda.device_count()` "
        "与 i + 1 比较（`>= i` 在没有 GPU 的机器上也给出 cuda:0，`> i + 1` 要有两块才行），"
        "并返回 torch.device，而不是字符串。",
    },
    "test_try_all_gpus_lists_every_gpu_or_the_cpu": {
        "en": "try_all_gpus must return a list of torch.device, `cuda:0` … `cuda:n-1`, or "
        "`[torch.device('cpu')]` when there is no GPU: an empty list leaves the caller with "
        "no device at all, and strings such as 'cuda:0' are not devices "
        "(`torch.device('cpu') == 'cpu'` is False). Build it over "
        "`range(torch.cuda.device_count())` and fall back to the CPU.",
        "zh": "try_all_gpus 应返回由 torch.device 组成的列表 `cuda:0` … `cuda:n-1`，没有 GPU "
        "时返回 `[torch.device('cpu')]`：空列表会让调用者一个设备都没有；'cuda:0' 这样的"
        "字符串不是设备（`torch.device('cpu') == 'cpu'` 为 False）。请遍历 "
        "`range(torch.cuda.device_count())` 构造列表，没有 GPU 时退回 CPU。",
    },
    # ------------------------------------------------------------ moving things
    "test_to_device_moves_a_tensor": {
        "en": "to_device did not return the tensor on the requested device: `tensor.to(device)` "
        "returns a new tensor and leaves the original where it was, so return its result "
        "(calling it and returning the input changes nothing). `device` may be a string "
        "('meta') or a torch.device; `.to` accepts both.",
        "zh": "to_device 没有返回位于目标设备上的张量：`tensor.to(device)` 返回一个新张量，原来"
        "的张量留在原处，所以要返回它的结果（调用了却返回原输入，等于什么都没做）。"
        "`device` 可能是字符串（'meta'）也可能是 torch.device，`.to` 两者都接受。",
    },
    "test_to_device_moves_nested_structures_keeping_their_types": {
        "en": "A nested structure did not come back with the same types and values: recurse "
        "into every element, not just the top level; rebuild each container with "
        "`type(obj)` (a dict comprehension makes an OrderedDict a dict, a list comprehension "
        "makes tuples lists); give named tuples their fields as separate arguments; don't "
        "recurse into strings; return other values unchanged, not None.",
        "zh": "返回的嵌套结构类型或数值变了：要递归处理每个元素，不能只处理最外层；用 "
        "`type(obj)` 重建每个容器（字典推导式会把 OrderedDict 变成 dict，列表推导式会把元组"
        "变成列表）；命名元组的字段要作为分开的参数传给它的构造函数；不要递归进字符串；"
        "其他值原样返回，不要返回 None。",
    },
    "test_to_device_keeps_named_tuples": {
        "en": "A named tuple `Pair(first, second)` did not come back as a Pair with its "
        "tensors moved: `tuple(...)` or a list comprehension drops its type, and "
        "`type(obj)(generator)` fails because a named tuple takes its fields as separate "
        "arguments. Detect it (a tuple with `_fields`) before plain tuples and rebuild it "
        "with the moved fields unpacked with `*`; recurse into them and leave the string "
        "'label' as it is.",
        "zh": "命名元组 `Pair(first, second)` 没有作为移动了张量的 Pair 返回：`tuple(...)` 或"
        "列表推导式会丢掉它的类型，`type(obj)(生成器)` 会出错，因为命名元组的字段要作为"
        "分开的参数传入。请在处理普通元组之前识别它（带 `_fields` 的元组），用 `*` 解包"
        "移动后的字段来重建；对字段递归处理，字符串 'label' 保持不变。",
    },
    "test_to_device_returns_other_values_unchanged": {
        "en": "A value that is neither a tensor, a module nor a container (None, an int, a "
        "float, a string) must come back unchanged: the last case must return `obj`, not "
        "None. A str is a `collections.abc.Sequence` of one-character strings, so recursing "
        "into every Sequence breaks it: test for list, tuple and dict explicitly.",
        "zh": "既不是张量、模块也不是容器的值（None、int、float、字符串）必须原样返回：最后一种"
        "情况应返回 `obj`，而不是 None。str 是由单个字符组成的 `collections.abc.Sequence`，"
        "对所有 Sequence 递归会把它拆坏：请显式判断 list、tuple 和 dict。",
    },
    "test_to_device_moves_a_module_with_its_parameters_and_buffers": {
        "en": "to_device must move a module in place and return the same object: "
        "`module.to(device)` moves all its parameters and buffers and returns the module. "
        "Returning modules untouched, moving a `copy.deepcopy`, or moving parameters one by "
        "one (`p.data = p.data.to(...)`, which leaves BatchNorm's and registered buffers "
        "behind) all fail.",
        "zh": "to_device 应原地移动模块并返回同一个对象：`module.to(device)` 会移动它所有的参数"
        "和缓冲区并返回该模块。原样返回模块、移动 `copy.deepcopy` 出的副本，或逐个移动参数"
        "（`p.data = p.data.to(...)`，会把 BatchNorm 的和注册的缓冲区落在原处）都不对。",
    },
    "test_to_device_moves_modules_inside_containers": {
        "en": "A module or tensor inside a dict or list was not moved, or another value was "
        "lost: recurse into the container's values (a module there is moved with "
        "`module.to(device)` and must be the same object afterwards, not a copy), and "
        "return values such as the int 7 unchanged.",
        "zh": "字典或列表里的模块或张量没有被移动，或别的值丢了：要递归处理容器中的值（其中的"
        "模块用 `module.to(device)` 移动，之后仍是同一个对象，而不是副本），"
        "整数 7 这样的值原样返回。",
    },
}
