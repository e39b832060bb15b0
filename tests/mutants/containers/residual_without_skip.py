"""ResidualBlock forgets the skip connection: relu(net(X)) instead of relu(X + net(X))."""

# diagnosis: no_skip


class ResidualBlock(ResidualBlock):  # noqa: F821
    def forward(self, X):
        return F.relu(self.net(X))  # noqa: F821
