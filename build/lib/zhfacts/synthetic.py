"""Seeded synthetic corpora built from the paragraphs of real articles, for benchmarks
and for tests that need hundreds of distinct articles (bench/, tests/test_store.py)."""
from __future__ import annotations

import random
from pathlib import Path

from .clean import clean_text


def paragraphs(folder: Path) -> list[str]:
    """Body paragraphs of every .txt article in `folder`, as written."""
    out = []
    for path in sorted(Path(folder).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        cleaned = clean_text(text)
        body = cleaned.body[1:] if cleaned.headline else cleaned.body  # not the headline
        out += [text[a:b] for a, b in body if b - a >= 20]
    return out


def make_corpus(source: Path, dest: Path, n: int, seed: int = 7, per_article: int = 8) -> list[Path]:
    """Write `n` distinct articles to `dest`: a title, a byline and `per_article`
    paragraphs drawn (seeded) from the articles of `source`."""
    rng = random.Random(seed)
    pool = paragraphs(source)
    dest.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        body = rng.sample(pool, min(per_article, len(pool)))
        title = f"卫生健康简报之{i}：{body[0][:12]}"
        byline = f"来源:合成日报 2024-{1 + i % 12:02d}-{1 + i % 28:02d} 10:00"
        path = dest / f"syn_{i:06d}.txt"
        path.write_text("\n\n".join([title, byline, *body]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
