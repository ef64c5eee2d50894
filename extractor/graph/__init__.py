"""The citation graph of a corpus, kept in an embedded SQLite store.

``build`` walks a corpus and keeps the store up to date (store.py holds the
schema); ``query`` answers show/top/conflicts; ``export`` writes GraphML, GEXF,
CSV and node-link JSON; ``draw`` makes an SVG/PNG picture; ``cli`` is the
``bienche graph`` command.
"""
