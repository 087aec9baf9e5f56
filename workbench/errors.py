"""Exception types of the workbench.

Library code raises these; only the CLI turns them into one-line user errors, so the
message itself must say what is wrong and what to do about it.
"""


class WorkbenchError(Exception):
    """Base class of every error the workbench reports to a user."""


class ConfigError(WorkbenchError):
    """A setting is missing, malformed or of the wrong type."""


class InputError(WorkbenchError):
    """An input file cannot be read: wrong encoding, binary, malformed."""


class GlossaryError(WorkbenchError):
    """The term base is invalid; carries every problem found, with file and line."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class LabelStudioError(WorkbenchError):
    """Label Studio is unreachable, refused a credential, or answered unexpectedly."""


class ExportError(WorkbenchError):
    """An export could not be written; the previous export is left intact."""
