"""LayerStack applies a ReLU after the output layer too, so it can never output a negative."""

# diagnosis: relu_after_the_output


class LayerStack(LayerStack):  # noqa: F821
    def forward(self, X):
        for layer in self.layers:
            X = F.relu(layer(X))  # noqa: F821
        return X
