"""One module per ``k8skb`` verb; each exposes ``register(subparsers)``."""
