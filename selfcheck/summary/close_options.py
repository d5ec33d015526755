"""Options of the committee's 整改落实情况报告 (light: imported on every ``summary``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CloseOptions:
    """``--addressee`` (主送), ``--signer`` (落款), ``--template`` of ``--format report``."""

    addressee: str | None = None
    signer: str | None = None
    template: Path | None = None
    compare_with: tuple[Path, ...] = ()
    """``--compare-with``: last round's folders; the report gets a comparison part."""

    @classmethod
    def from_flags(
        cls,
        addressee: str | None,
        signer: str | None,
        template: Path | None,
        compare_with: list[Path] | None = None,
    ) -> CloseOptions | None:
        """The options given on the command line; None when none was."""
        if addressee is None and signer is None and template is None and not compare_with:
            return None
        return cls(addressee, signer, template, tuple(compare_with or ()))
