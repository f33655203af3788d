#!/usr/bin/env python3
"""The search benchmark's query set, computed from a Touchstone site's text.

  bench/query_set.py SITE_DIR [--json]

Reads every Markdown file under SITE_DIR/content and counts the words a
reader sees: titles, bodies and the text values of the front matter (not its
keys, ids, numbers or dates). Words are split as the search index splits them
(on anything not a letter or digit), lower-cased, at least two characters and
not all digits. From the counts:

  frequent  the 20 most frequent words (most occurrences; ties alphabetical)
  rare      the 10 least frequent words (fewest occurrences; ties alphabetical)
  pairs     10 two-word queries: five of two frequent words (1st+2nd, 3rd+4th,
            ... 9th+10th), the heaviest lists a query can meet, and five of a
            frequent word with a rare one (1st+1st ... 5th+5th)
  typo      5 frequent words of five letters or more (the first five) with
            their middle letter left out ("promise" -> "proise"): one slip,
            which search still finds

Prints one query a line (kind, query, occurrences, pages holding it), or with
--json one object for bench/search.sh to read. The same corpus (same pages,
same seed) always gives the same queries, so before and after compare.
"""
import collections
import json
import pathlib
import re
import sys

ID = re.compile(r"^[a-z]+-[0-9]+$")
WORD = re.compile(r"[^\W_]+")  # letters and digits, as the index splits text
SCALAR = re.compile(r"^\s*(?:-\s+)?(?:[A-Za-z_]+:\s*)?(.*)$")


def front_matter_text(lines):
    """The text values of front-matter lines: quoted strings and bare words,
    without keys, id references, numbers, booleans or dates."""
    out = []
    for line in lines:
        value = SCALAR.match(line).group(1).strip()
        if not value or value.startswith("["):  # empty, or a list of ids
            continue
        if value.startswith('"') and value.endswith('"'):
            out.append(value[1:-1])
        elif not (ID.match(value) or re.match(r"^[0-9-]+$", value) or value in ("true", "false")):
            out.append(value)
    return out


def page_text(path):
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        head, _, body = text[4:].partition("\n---\n")
        return front_matter_text(head.split("\n")) + [body]
    return [text]


def words(text):
    for w in WORD.findall(text):
        w = w.lower()
        if len(w) >= 2 and not w.isdigit():
            yield w


def count(site):
    occurrences, pages = collections.Counter(), collections.Counter()
    files = sorted((site / "content").rglob("*.md"))
    if not files:
        sys.exit(f"no Markdown under {site / 'content'}")
    for path in files:
        seen = set()
        for part in page_text(path):
            for w in words(part):
                occurrences[w] += 1
                seen.add(w)
        pages.update(seen)
    return occurrences, pages, len(files)


def query_set(site):
    occurrences, pages, files = count(site)
    by_count = sorted(occurrences, key=lambda w: (-occurrences[w], w))
    frequent = by_count[:20]
    rare = sorted(occurrences, key=lambda w: (occurrences[w], w))[:10]
    pairs = [f"{frequent[2 * i]} {frequent[2 * i + 1]}" for i in range(5)]
    pairs += [f"{frequent[i]} {rare[i]}" for i in range(5)]
    typos = [w[: len(w) // 2] + w[len(w) // 2 + 1:] for w in frequent if len(w) >= 5][:5]
    rows = [("frequent", w) for w in frequent] + [("rare", w) for w in rare] + [("pair", q) for q in pairs]
    rows += [("typo", q) for q in typos]
    return {
        "site": str(site),
        "files": files,
        "queries": [{"kind": kind, "query": q,
                     "occurrences": sum(occurrences[w] for w in q.split()) if kind in ("frequent", "rare") else None,
                     "pages": pages[q] if kind in ("frequent", "rare") else None} for kind, q in rows],
    }


def main():
    args = [a for a in sys.argv[1:] if a != "--json"]
    if len(args) != 1:
        sys.exit(__doc__)
    result = query_set(pathlib.Path(args[0]))
    if "--json" in sys.argv:
        print(json.dumps(result))
        return
    print(f"# query set from {result['files']} Markdown files under {result['site']}/content")
    for q in result["queries"]:
        extra = "" if q["occurrences"] is None else f"  {q['occurrences']} times in {q['pages']} pages"
        print(f"{q['kind']:9} {q['query']}{extra}")


if __name__ == "__main__":
    main()
