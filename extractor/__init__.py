"""bienche: Vietnamese party and state directives in, checked structured records out."""

__version__ = "0.2.0"
