"""One exception tree for the tracker; only the CLI catches these and prints their message."""

from __future__ import annotations


class TrackerError(Exception):
    """Base of every error the tracker reports to a person; `exit_code` is what the CLI returns."""

    exit_code = 1


class ConfigError(TrackerError):
    """The configuration file or an environment override is malformed."""

    exit_code = 2

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")


class InputError(TrackerError):
    """A file or text given to the tracker cannot be used (empty, binary, unknown encoding, no plan part)."""

    exit_code = 2

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        self.problem = problem
        super().__init__(f"{name}: {problem}")


class NotFound(TrackerError):
    """A record named by the user does not exist."""

    exit_code = 2

    def __init__(self, what: str, key: str, field: str = "id") -> None:
        super().__init__(f"no {what} with {field} {key!r}")


class FetchError(TrackerError):
    """A URL could not be fetched or its body could not be used."""

    def __init__(self, url: str, problem: str, status: int | None = None) -> None:
        self.url = url
        self.problem = problem
        self.status = status
        super().__init__(f"{url}: {problem}")


class DatabaseError(TrackerError):
    """The database cannot be reached or its schema is not what this version expects."""

    def __init__(self, url: str, problem: str) -> None:
        super().__init__(f"database {url}: {problem}")


class UnknownStatus(TrackerError):
    """A status name that is not one of the tracker's statuses."""

    exit_code = 2

    def __init__(self, status: str, known: tuple[str, ...]) -> None:
        super().__init__(f"unknown status {status!r}; use one of: {', '.join(known)}")
