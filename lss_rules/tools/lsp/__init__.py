"""``lss-rules lsp``: the spec checker served to an editor over the Language Server Protocol.

:mod:`.analysis` holds what the server knows about one spec folder (the open buffers, the last check, the
names and where they stand) and imports nothing of pygls, so it is tested and timed on its own;
:mod:`.server` is the protocol glue (pygls, an optional extra: ``pip install 'lss-rules[lsp]'``).
"""
