"""eventcoder."""
