"""roadmap-cli: track your way through a learning roadmap in the terminal."""

__version__ = "0.1.0"
