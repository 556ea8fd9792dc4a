"""The one user-facing error type, and the exit codes the command line maps it to."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    SOME_INPUTS_FAILED = 1
    USAGE = 2
    REFUSED = 3
    CHECKPOINT_UNAVAILABLE = 4


class ClipZeroShotError(Exception):
    """An error whose message is written for the person running the tool.

    Only the command-line entry point turns it into text on stderr and an exit code; the library raises it.
    """

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class UsageError(ClipZeroShotError):
    """Bad arguments: a malformed template, an unknown option value, an unreadable classes file."""

    exit_code = ExitCode.USAGE


class CheckpointError(ClipZeroShotError):
    """The checkpoint could not be resolved or loaded (not cached offline, unsupported type, ambiguous id)."""

    exit_code = ExitCode.CHECKPOINT_UNAVAILABLE


class RefusalError(ClipZeroShotError):
    """A request the tool declines on purpose. `reason` is a stable, machine-readable code."""

    exit_code = ExitCode.REFUSED

    def __init__(self, message: str, *, reason: str, hint: str | None = None, triggers: tuple[str, ...] = ()) -> None:
        super().__init__(message, hint=hint)
        self.reason = reason
        self.triggers = triggers


class InputError(Exception):
    """One image input could not be read. It is recorded in that input's result row; the run goes on."""
