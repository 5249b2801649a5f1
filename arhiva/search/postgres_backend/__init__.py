"""The PostgreSQL search backend (:mod:`.engine`): the index in a PostgreSQL server, selected by a
``postgresql://`` location; its queries translated and scored in :mod:`.plan`."""
