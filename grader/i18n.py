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
    "read_on": {"en": "read on", "zh": "延伸阅读"},
    "diagnosis": {"en": "diagnosis", "zh": "诊断"},
    "progress_title": {"en": "progress", "zh": "进度"},
    "col_exercise": {"en": "exercise", "zh": "练习"},
    "col_state": {"en": "state", "zh": "状态"},
    "col_points": {"en": "points", "zh": "得分"},
    "state_done": {"en": "done", "zh": "已完成"},
    "state_progress": {"en": "in progress", "zh": "进行中"},
    "state_new": {"en": "not started", "zh": "未开始"},
    "total": {"en": "total", "zh": "合计"},
    "next": {
        "en": "next: {item} in exercises/{folder}/{file}  (pytest exercises/{folder})",
        "zh": "下一步：exercises/{folder}/{file} 中的 {item}  （pytest exercises/{folder}）",
    },
    "all_done": {
        "en": "all exercises done: well built!",
        "zh": "全部练习已完成：干得漂亮！",
    },
    "timeout": {
        "en": "ran past {seconds:g} s: look for a loop that never ends (a `while` whose "
        "condition never becomes false) or work far bigger than the test needs",
        "zh": "运行超过 {seconds:g} 秒：请检查是否有永不结束的循环（条件始终为真的 `while`），"
        "或远超测试所需的计算量",
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
