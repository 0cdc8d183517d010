from gongjiang.core.tests.english import _english_messages, client  # noqa: F401  (fixtures of this package)
