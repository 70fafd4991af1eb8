"""The pure domain of IPT: value objects and the :class:`~ipt_core.domain.case.Case` aggregate.

Nothing here does I/O, reads a clock or imports a serialisation framework: the codec, the JSON
Schema and redaction live in :mod:`ipt_core.boundary` and call in.
"""
