"""Clearline: an honest addiction-treatment information site with its helplines."""
