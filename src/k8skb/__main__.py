"""``python -m k8skb`` runs the command line."""

from k8skb.cli import main

raise SystemExit(main())
