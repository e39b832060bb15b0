"""ResidualBlock applies the ReLU before adding the input: X + relu(net(X))."""

# diagnosis: relu_before_the_addition


class ResidualBlock(ResidualBlock):  # noqa: F821
    def forward(self, X):
        return X + F.relu(self.net(X))  # noqa: F821
