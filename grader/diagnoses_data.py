"""The diagnosis catalogue: module -> test function name -> {"en": ..., "zh": ...}."""

DIAGNOSES: dict[str, dict[str, dict[str, str]]] = {
    "layers": {
        "test_mylinear_gradients_reach_weight_and_bias": {
            "en": "MyLinear.weight or .bias receives no gradient: forward probably uses "
            "`.data` (a detached view) or the parameters were created with "
            "requires_grad=False; compute `X @ self.weight + self.bias` with the parameters "
            "themselves.",
            "zh": "MyLinear 的 weight 或 bias 没有得到梯度：forward 里大概用了 `.data`"
            "（与计算图分离的视图），或参数创建时设了 requires_grad=False；"
            "请直接用参数本身计算 `X @ self.weight + self.bias`。",
        },
    },
}
