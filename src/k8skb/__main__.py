"""``python -m k8skb``: the ``k8skb`` command line (``k8skb.cli.main``), its result as the exit status."""

from __future__ import annotations

from k8skb.cli import main


def run() -> None:
    """The ``k8skb`` console script: run the command line and exit with its status."""
    raise SystemExit(main())


if __name__ == "__main__":
    run()
