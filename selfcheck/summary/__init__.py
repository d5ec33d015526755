"""summary subpackage."""
