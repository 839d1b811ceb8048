"""Which rules extract: the folder chosen, the hash of its files and the segmenter.

The folder is `--rules`, else $ZHFACTS_RULES, else ./rules when it exists, else the rules
that ship inside the package.  `RuleSource` carries the three together from the command
through engine, pipeline and the pool and Dask workers.  Light on imports: a re-run that
finds nothing new builds one without loading any rule.
"""
from __future__ import annotations

import os
from collections import namedtuple
from pathlib import Path

from .cache import folder_version


def shipped_rules() -> Path:
    """The rule files that ship inside the package (`zhfacts/data/rules`)."""
    from importlib.resources import files

    return Path(str(files("zhfacts").joinpath("data", "rules")))


def rules_folder(arg: str | Path | None = None) -> Path:
    """The rules to use: `arg` (--rules), else $ZHFACTS_RULES, else ./rules when it
    exists, else the shipped rules."""
    chosen = arg or os.environ.get("ZHFACTS_RULES")
    if chosen:
        return Path(chosen)
    return Path("rules") if Path("rules").is_dir() else shipped_rules()


# The stages a re-extraction runs again (engine.reextract): a change to any of them, as an
# upgrade of zhfacts brings, changes what the same rules extract from the same text.
EXTRACTION_MODULES = ("normalize", "repair", "segment", "numbers", "rules", "extractor", "place", "gazetteer")


def code_version() -> str:
    """Hash of the extraction stages' source: part of every fact's version, so an upgrade
    that extracts or places facts differently re-extracts the stored articles once."""
    import hashlib

    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in EXTRACTION_MODULES:
        digest.update((here / f"{name}.py").read_bytes())
    return digest.hexdigest()[:8]


class RuleSource(namedtuple("RuleSource", "folder version segmenter", defaults=("jieba",))):
    """The rules folder, its version (a hash of its files and of the extraction code: any
    edit or upgrade changes it) and the segmenter backend, as one immutable value (a named
    tuple: cheap to pickle to workers)."""

    __slots__ = ()

    @classmethod
    def of(cls, folder: str | Path | None = None, segmenter: str = "jieba") -> "RuleSource":
        """The source for `folder` as `rules_folder` resolves it, with its version."""
        path = rules_folder(folder)
        return cls(str(path), f"{folder_version(path)}-{code_version()}" if path.is_dir() else "", segmenter)


def init_rules(dest: Path) -> list[Path]:
    """Copy the shipped rule files and domain dictionary into `dest` for editing; an
    existing file is never overwritten."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    shipped = sorted(p for p in shipped_rules().iterdir() if p.suffix in (".toml", ".txt"))
    clash = [p.name for p in shipped if (dest / p.name).exists()]
    if clash:
        raise FileExistsError(f"{dest}: already holds {', '.join(clash)}; choose an empty "
                              f"folder or move them away first")
    for src in shipped:
        shutil.copyfile(src, dest / src.name)
    return [dest / p.name for p in shipped]
