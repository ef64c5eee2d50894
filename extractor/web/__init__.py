"""``bienche serve``: a local web page (and the small JSON API it uses) for clerks.

``uploads`` checks and stores what was sent (names, sizes, zip archives),
``jobs`` runs each batch in a background thread and writes its outputs, and
``app`` is the Starlette application; the page itself is under ``static/``.
"""
