"""Progressive hints for exercise 7 (GPUs and devices): contract name ->
{"en": [...], "zh": [...]}."""

HINTS: dict[str, dict[str, list[str]]] = {
    "num_gpus": {
        "en": [
            "Read d2l “GPUs”, computing devices (计算设备): the book shows how to ask PyTorch "
            "how many GPUs it can see.",
            "`torch.cuda` has a function that returns the number of visible CUDA devices as "
            "an int; `torch.cuda.is_available()` only says whether there is at least one "
            "(a bool).",
            "Do not count what try_all_gpus returns: it holds the CPU fallback, so its length "
            "is 1 on a machine without GPUs.",
            "The whole body is a call to `torch.cuda.device_count()`; hand its value back as "
            "it is (already an int, 0 without GPUs).",
        ],
        "zh": [
            "阅读 d2l「GPU」中的计算设备：书中演示了如何询问 PyTorch 能看到几块 GPU。",
            "`torch.cuda` 中有一个函数返回可见 CUDA 设备的数量（int）；"
            "`torch.cuda.is_available()` 只告诉你是否至少有一块（bool）。",
            "不要去数 try_all_gpus 返回了几项：其中包含后备的 CPU，在没有 GPU 的机器上长度为 1。",
            "整个函数体就是调用 `torch.cuda.device_count()`，把它的值原样交回（本来就是 int，"
            "没有 GPU 时为 0）。",
        ],
    },
    "try_gpu": {
        "en": [
            "Read d2l “GPUs”, computing devices (计算设备): the book's `try_gpu(i=0)` returns "
            "GPU i if it exists and the CPU otherwise, so that the same code runs on any "
            "machine.",
            "Return `torch.device` objects, not strings: `torch.device('cpu') == 'cpu'` is "
            "False, so callers comparing devices would be misled.",
            "GPUs are numbered from 0: GPU `i` exists when there are at least `i + 1` of "
            "them. Compare `torch.cuda.device_count()` with that; `is_available()` alone "
            "ignores `i`.",
            "One `if` on the device count: in one branch the device named by the f-string "
            "`cuda:{i}`, in the other the CPU device. Keep the default `i=0`.",
        ],
        "zh": [
            "阅读 d2l「GPU」中的计算设备：书中的 `try_gpu(i=0)` 在第 i 号 GPU 存在时返回它，"
            "否则返回 CPU，这样同一份代码在任何机器上都能运行。",
            "返回 `torch.device` 对象，不要返回字符串：`torch.device('cpu') == 'cpu'` 为 "
            "False，比较设备的调用者会被误导。",
            "GPU 从 0 开始编号：至少有 `i + 1` 块时第 `i` 号 GPU 才存在。把 "
            "`torch.cuda.device_count()` 与它比较；只看 `is_available()` 会忽略 `i`。",
            "对设备数量写一个 `if`：一个分支返回由 f-string `cuda:{i}` 命名的设备，另一个分支"
            "返回 CPU 设备。保留默认值 `i=0`。",
        ],
    },
    "try_all_gpus": {
        "en": [
            "Read d2l “GPUs”, computing devices (计算设备): the book's `try_all_gpus()` lists "
            "every GPU, or the CPU when there is none, so that a training loop always has at "
            "least one device.",
            "Return a list (not a tuple or a generator) of `torch.device` objects, not of strings.",
            "The GPUs are numbered 0 … `torch.cuda.device_count()` - 1: build one "
            "`torch.device` per number, with a list comprehension over `range(...)`.",
            "If that list comes out empty, return a list holding the single CPU device instead.",
        ],
        "zh": [
            "阅读 d2l「GPU」中的计算设备：书中的 `try_all_gpus()` 列出所有 GPU，没有 GPU 时"
            "列出 CPU，这样训练循环总至少有一个设备可用。",
            "返回一个列表（不是元组，也不是生成器），元素是 `torch.device` 对象，不是字符串。",
            "GPU 编号为 0 … `torch.cuda.device_count()` - 1：每个编号构造一个 `torch.device`，"
            "用遍历 `range(...)` 的列表推导式。",
            "如果这个列表是空的，就改为返回只含一个 CPU 设备的列表。",
        ],
    },
    "to_device": {
        "en": [
            "Read d2l “GPUs”, tensors and GPUs (张量与GPU) and neural networks and GPUs "
            "(神经网络与GPU): `tensor.to(device)` returns a moved copy, while "
            "`module.to(device)` moves the module in place and returns it.",
            "Write it recursively, one case per kind of object. A tensor or an `nn.Module`: "
            "return the result of its `.to(device)` (for a module that moves parameters and "
            "buffers and gives back the same object; no deepcopy, no moving parameters one by "
            "one).",
            "A container: convert each element with to_device itself and rebuild the "
            "container with `type(obj)`, so that an OrderedDict stays an OrderedDict and a "
            "tuple a tuple. Test for dict, list and tuple explicitly: a `str` is a "
            "`Sequence` too and must not be recursed into.",
            "A named tuple is a tuple with a `_fields` attribute whose constructor takes the "
            "fields as separate arguments: unpack the converted items with `*`, and check for "
            "it before the plain tuple case. Anything else (None, numbers, strings) is "
            "returned as it is.",
        ],
        "zh": [
            "阅读 d2l「GPU」中的张量与GPU、神经网络与GPU：`tensor.to(device)` 返回移动后的副本，"
            "而 `module.to(device)` 原地移动模块并返回它本身。",
            "用递归来写，每种对象一种情况。张量或 `nn.Module`：返回它的 `.to(device)` 的结果"
            "（对模块来说，这会移动参数和缓冲区并返回同一个对象；不要 deepcopy，也不要逐个"
            "移动参数）。",
            "容器：对每个元素调用 to_device 本身，再用 `type(obj)` 重建容器，这样 OrderedDict "
            "仍是 OrderedDict，元组仍是元组。请显式判断 dict、list 和 tuple：`str` 也是 "
            "`Sequence`，不能递归进去。",
            "命名元组是带 `_fields` 属性的元组，它的构造函数要求字段作为分开的参数传入：用 `*` "
            "解包转换后的元素，并在处理普通元组之前先判断它。其他东西（None、数字、字符串）"
            "原样返回。",
        ],
    },
}
