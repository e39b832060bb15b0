"""ResidualBlock adds X.detach(): right values, but no gradient flows through the skip."""

# diagnosis: skip_detached


class ResidualBlock(ResidualBlock):  # noqa: F821
    def forward(self, X):
        return F.relu(X.detach() + self.net(X))  # noqa: F821
