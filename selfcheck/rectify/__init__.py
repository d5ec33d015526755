"""The rectification phase (整改): progress on every measure a cadre wrote.

A submitted response carries an append-only ``rectification`` log of
:class:`~selfcheck.response.RectifyEntry`. Rectify never touches
``answers``, ``submitted_at`` or the checklist reference.

One job per module; imports point down this list, never up:

- :mod:`~selfcheck.rectify.progress`: the domain, no I/O. Measures with their
  latest status and overdue flag, parsing and checking ``--set`` requests,
  the log entries they become.
- :mod:`~selfcheck.rectify.store`: the response file on disk. Loads a
  submitted response and the checklist it was answered under; records
  entries under the file's writer lock, re-checking them against what is on
  disk at that moment, so two writers never lose an update.
- :mod:`~selfcheck.rectify.view`: terminal output.
- :mod:`~selfcheck.rectify.walk`: the interactive walk through the prompter.
- :mod:`~selfcheck.rectify.command`: ``rectify_command``, what the CLI calls.

This package module imports nothing, so importing one part loads only that
part (and what it needs).
"""
