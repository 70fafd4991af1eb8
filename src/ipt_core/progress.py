"""Public API for progress: reliable change, NHS Talking Therapies outcomes and case progress.

See ``docs/progress.md``.
"""

from ipt_core.domain import progress as _progress
from ipt_core.domain.progress import *  # noqa: F403 - the public names are those of the module

__all__: list[str] = []
__all__ += _progress.__all__
