"""The committee's review of submitted materials (审核、退回重新修改).

A review is an append-only, timestamped :class:`~selfcheck.response.ReviewEntry`
in the response file; the answers never change. One job per module:

- :mod:`~selfcheck.review.reasons`: the configurable list of reasons for
  sending a material back (shipped ``reasons.yaml``; ``--reasons FILE``).
- :mod:`~selfcheck.review.record`: checking a review request and appending it
  under the file's lock.
- :mod:`~selfcheck.review.listing`: ``review DIR --list``, every submission
  with its status and the warnings already known.
- :mod:`~selfcheck.review.returned`: what ``selfcheck run`` does with a
  returned material (reasons shown, walk reopened, draft counted).
- :mod:`~selfcheck.review.interactive`: the review through the prompter.
- :mod:`~selfcheck.review.command`: ``review_command``, what the CLI calls.

This package module imports nothing.
"""
