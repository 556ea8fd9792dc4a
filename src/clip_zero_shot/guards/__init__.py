"""Responsible-use guards: pure functions over the request, with no model dependency.

Applied once, in `request.ClassificationRequest.build`, so the command line, the library and any service refuse
the same things. A vocabulary check is a guard rail, not a guarantee: see the README for its limits.
"""

from .check import Trigger, check_request, find_triggers

__all__ = ["Trigger", "check_request", "find_triggers"]
