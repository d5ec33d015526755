"""Allow ``python -m selfcheck``."""

from selfcheck.cli import main

if __name__ == "__main__":
    main()
