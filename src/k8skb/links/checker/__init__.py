"""Checkers: the status of one target.

Flow: ``pipeline`` hands each distinct target to one checker → ``internal`` answers from the site's
file list, ``http`` asks the server, ``glossary`` needs neither → each returns an ``Outcome``.
"""
