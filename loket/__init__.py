"""Loket: one service desk (één loket) for all internal services of an organisation."""

__version__ = "0.1.0"
