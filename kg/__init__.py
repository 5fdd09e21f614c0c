"""kg: the knowledge graph of China's social e-commerce models.

>>> import kg
>>> len(kg.open().query("models"))
4
"""

from .api import Graph, open
from .errors import InputError, KGError
from .results import Result

__all__ = ["Graph", "InputError", "KGError", "Result", "open"]
