"""k8skb: a bilingual Kubernetes knowledge base and quiz built from one glossary."""

__version__ = "0.1.0"
