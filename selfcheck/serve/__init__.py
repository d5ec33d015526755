"""``selfcheck serve``: the walk in a browser on the unit's intranet.

The browser form is the third driver of the walk engine
(:mod:`selfcheck.engine`), beside the terminal and the answers file. Every
request rebuilds the engine from the person's draft in the collection folder
and writes drafts and responses through :class:`selfcheck.run.store.ResponseStore`,
so the files are exactly those ``selfcheck run`` writes.

Modules: :mod:`.state` (tokens, audit log, settings in the hidden state
folder), :mod:`.links` (links CSV and printable 通知), :mod:`.forms` (posted
fields → engine answers), :mod:`.people` (one person's draft and response),
:mod:`.security` (headers, CSRF, rate limit, body cap), :mod:`.app` (the
Starlette application and its pages) and :mod:`.command` (the command).
"""
