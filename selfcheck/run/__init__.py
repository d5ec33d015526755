"""run subpackage."""
