from .fixtures import _fresh_cache, classroom, other_classroom, world  # noqa: F401
