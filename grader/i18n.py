"""The kit's own messages in English and Chinese.

The language comes from ``--lang`` or the ``KIT_LANG`` environment variable
(``zh``/``zh_CN``/``zh-CN`` select Chinese); English is the default.
"""

from __future__ import annotations

import os

MESSAGES: dict[str, dict[str, str]] = {
    "not_written": {
        "en": "not written yet: {detail}",
        "zh": "还没有实现：{detail}",
    },
    "as_above": {"en": " (as above)", "zh": "（同上）"},
    "init_todo": {
        "en": "{cls}.__init__: it creates nothing yet (only super().__init__()); write its TODO",
        "zh": "{cls}.__init__：它还什么都没有创建（只调用了 super().__init__()）；"
        "请完成其中的 TODO",
    },
    "cause_import": {
        "en": "the file could not be imported, so none of its tests can run: fix this first",
        "zh": "文件无法导入，所以它的测试都无法运行：请先修正这个问题",
    },
    "cause_d2l": {
        "en": "your file imports d2l (`from d2l import torch as d2l`): the exercises need only "
        "torch; remove that line (the kit does not install d2l)",
        "zh": "你的文件导入了 d2l（`from d2l import torch as d2l`）：练习只需要 torch，请删掉"
        "这一行（练习包不安装 d2l）",
    },
    "cause_name": {
        "en": "{where}: the name {name!r} is not defined there: import it at the top of the "
        "file (e.g. `import torch`, `from torch import nn`) or define it before use",
        "zh": "{where}：名字 {name!r} 在这里没有定义：请在文件开头导入它（例如 `import torch`、"
        "`from torch import nn`），或在使用前先定义",
    },
    "cause_attribute": {
        "en": "{cls} has no attribute {attr!r}: {cls}.__init__ must create it, after "
        "super().__init__() (its docstring says how)",
        "zh": "{cls} 没有属性 {attr!r}：{cls}.__init__ 必须在 super().__init__() 之后创建它"
        "（做法见它的文档字符串）",
    },
    "cause_in_place": {
        "en": "{where}: an in-place operation (`-=`, `+=`, `.sub_()`, …) changed a tensor that "
        "autograd still needs: compute a new tensor instead (e.g. `X - X.mean()`)",
        "zh": "{where}：原地操作（`-=`、`+=`、`.sub_()` 等）修改了自动求导仍需要的张量："
        "请改为计算一个新张量（例如 `X - X.mean()`）",
    },
    "read_on": {"en": "read on", "zh": "延伸阅读"},
    "diagnosis": {"en": "diagnosis", "zh": "诊断"},
    "check": {"en": "what failed", "zh": "未通过的检查"},
    "progress_title": {"en": "progress", "zh": "进度"},
    "col_exercise": {"en": "exercise", "zh": "练习"},
    "col_state": {"en": "state", "zh": "状态"},
    "col_points": {"en": "points", "zh": "得分"},
    "state_done": {"en": "done", "zh": "已完成"},
    "state_progress": {"en": "in progress", "zh": "进行中"},
    "state_new": {"en": "not started", "zh": "未开始"},
    "state_unknown": {"en": "not run yet", "zh": "尚未运行"},
    "start_here": {
        "en": "start here: {item} in exercises/{folder}/{file} "
        "(the lesson: exercises/{folder}/README.md)",
        "zh": "从这里开始：exercises/{folder}/{file} 中的 {item}"
        "（课文：exercises/{folder}/README.zh.md）",
    },
    "total": {"en": "total", "zh": "合计"},
    "next": {
        "en": "next: {item} in exercises/{folder}/{file}  (pytest exercises/{folder})",
        "zh": "下一步：exercises/{folder}/{file} 中的 {item}  （pytest exercises/{folder}）",
    },
    "all_done": {
        "en": "all exercises done: well built!",
        "zh": "全部练习已完成：干得漂亮！",
    },
    "ran_done": {
        "en": "every exercise that ran is done; {n} did not run (pytest exercises/ runs all)",
        "zh": "本次运行的练习都已完成；另有 {n} 个练习没有运行（pytest exercises/ 会运行全部）",
    },
    "timeout": {
        "en": "ran past {seconds:g} s: look for a loop that never ends (a `while` whose "
        "condition never becomes false) or work far bigger than the test needs",
        "zh": "运行超过 {seconds:g} 秒：请检查是否有永不结束的循环（条件始终为真的 `while`），"
        "或远超测试所需的计算量",
    },
    # python -m grader hint (grader/hints.py)
    "hint_header": {
        "en": "hint {shown}/{total} for {name} ({path}; read on: {url})",
        "zh": "{name} 的提示 {shown}/{total}（{path}；延伸阅读：{url}）",
    },
    "hint_more": {
        "en": "run the same command again for the next hint ({left} left); --all shows all",
        "zh": "再运行一次同样的命令可看下一条提示（还剩 {left} 条）；--all 显示全部",
    },
    "hint_last": {
        "en": "that was the last hint: the lesson {lesson} walks through a worked example",
        "zh": "这是最后一条提示：课程 {lesson} 里有完整的示例讲解",
    },
    "hint_unknown": {
        "en": "no exercise asks for {name!r}{close}; `python -m grader hint` lists the names",
        "zh": "没有练习要求写 {name!r}{close}；`python -m grader hint` 列出所有名字",
    },
    "hint_close": {"en": " (did you mean {names}?)", "zh": "（是不是 {names}？）"},
    "hint_list": {
        "en": "python -m grader hint NAME gives a hint for one of these:",
        "zh": "python -m grader hint NAME 为下列名字之一给出提示：",
    },
    "hint_reset": {
        "en": "hints for {what} start again from the first",
        "zh": "{what} 的提示已从头开始",
    },
    "hint_everything": {"en": "every item", "zh": "所有条目"},
    # python -m grader watch (grader/watch.py)
    "watch_watching": {
        "en": "watching {folder} for saved files (Ctrl-C stops)",
        "zh": "正在监视 {folder} 中保存的文件（Ctrl-C 退出）",
    },
    "watch_running": {"en": "running {folder} ...", "zh": "正在运行 {folder} ……"},
    "watch_passed": {
        "en": "{folder}: every test passes. On to the next exercise.",
        "zh": "{folder}：全部测试通过。进入下一个练习。",
    },
    "watch_all_done": {
        "en": "every exercise passes: well built!",
        "zh": "全部练习都已通过：干得漂亮！",
    },
    "watch_no_kit": {
        "en": "no exercises/ folder at or above {here}: run this inside your copy of the kit",
        "zh": "在 {here} 及其上层目录中找不到 exercises/：请在你的练习包目录里运行",
    },
    "watch_hint": {
        "en": "stuck? python -m grader hint NAME",
        "zh": "卡住了？python -m grader hint NAME",
    },
    # the grading report's messages for a module and its tests (grader/grading/report.py)
    "all_passed": {"en": "all {n} tests passed", "zh": "全部 {n} 个测试通过"},
    "some_passed": {"en": "{p} of {n} tests passed", "zh": "{n} 个测试中通过 {p} 个"},
    "free_skips": {
        "en": "; {k} skipped (worth no points here)",
        "zh": "；{k} 个跳过（此处不计分）",
    },
    "hidden": {"en": "; {h} of them hidden", "zh": "；其中 {h} 个为隐藏测试"},
    "module_time": {
        "en": "the module ran out of its time limit ({s:g} s)",
        "zh": "本模块超出时间限制（{s:g} 秒）",
    },
    "submission_time": {
        "en": "the submission ran out of its time limit ({s:g} s)",
        "zh": "本次提交超出总时间限制（{s:g} 秒）",
    },
    "hang_time": {
        "en": "a test ran out of time, and the module's other tests then used up "
        "the {s:g} s they share",
        "zh": "有测试超时，本模块其余测试随后用完了它们共有的 {s:g} 秒",
    },
    "test_timeout": {"en": "a test ran past its time limit", "zh": "有测试超时"},
    "not_run": {"en": "not run: {why}", "zh": "未运行：{why}"},
    "not_reached": {
        "en": "the worker never reached this test",
        "zh": "评分进程没有运行到这个测试",
    },
    "crashed_often": {
        "en": "the module's worker kept crashing",
        "zh": "本模块的评分进程反复崩溃",
    },
    "integrity": {
        "en": "broke the grader's rules: {why}; the module scores 0",
        "zh": "违反了评分规则：{why}；本模块记 0 分",
    },
    "not_counted": {
        "en": "not counted: the module broke the grader's rules ({why})",
        "zh": "不计分：本模块违反了评分规则（{why}）",
    },
}


def normalize(lang: str | None) -> str:
    lang = (lang or "").strip().lower().replace("-", "_")
    return "zh" if lang.startswith("zh") else "en"


def current_lang(option: str | None = None) -> str:
    return normalize(option or os.environ.get("KIT_LANG"))


def t(key: str, lang: str = "en", **kwargs) -> str:
    entry = MESSAGES[key]
    return entry.get(lang, entry["en"]).format(**kwargs)
