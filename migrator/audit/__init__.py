"""`migrator audit`: leftover Config API usage in any file.

`audit_text` is the pure core (bytes in, findings out); `run` walks trees;
`report` renders text, JSON, SARIF and GitHub annotations.
"""

from migrator.audit.core import Auditor, audit_text
from migrator.audit.model import FileResult, Finding

__all__ = ["Auditor", "FileResult", "Finding", "audit_text"]
