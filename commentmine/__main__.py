"""``python -m commentmine``."""

from commentmine.cli import main

if __name__ == "__main__":
    main()
