"""selfcheck: self-inspection checklists for a 机关作风建设 campaign."""

__version__ = "0.1.0"
