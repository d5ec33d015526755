"""checklist subpackage."""
