"""The one error type vnplans raises for bad input, so callers can report and go on."""


class VnplansError(Exception):
    """A problem with one input file: the message names the reason in one line."""

    def __init__(self, reason: str, path: str | None = None):
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)


class ReadError(VnplansError):
    """The file could not be read as a plan document (empty, binary, unknown encoding or format)."""
