"""Checkers: the status of one target.

``internal`` answers from the site's file list, ``http`` asks the server, ``glossary`` needs neither.
"""
