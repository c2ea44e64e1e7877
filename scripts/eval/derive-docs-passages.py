#!/usr/bin/env python3
"""Derives the documentation-passage retrieval set from README.md and docs/*.md (run from the repository root).

Each prose paragraph of at least two sentences becomes one evaluation item: its first sentence (the topic sentence)
is the query, the rest of the paragraph is the passage that must be found among all passages. Code blocks, tables,
lists and headings are left out. The output is committed (tests/.../Evaluation/Data/docs-passages.jsonl) so that the
set does not move when the docs are edited; rerun this script to refresh it on purpose.
"""
import glob, json, re, sys

SENTENCE = re.compile(r'(?<=[.!?])\s+(?=[A-Z`*"(])')

def paragraphs(text):
    in_code = False
    block = []
    for line in text.splitlines():
        if line.startswith('```'):
            in_code = not in_code
            if block: yield ' '.join(block); block = []
            continue
        if in_code: continue
        stripped = line.strip()
        if not stripped or stripped.startswith(('#', '|', '-', '*', '>', '<', '!')) or re.match(r'^\d+\.', stripped):
            if block: yield ' '.join(block); block = []
            continue
        block.append(stripped)
    if block: yield ' '.join(block)

items, seen = [], set()
for path in ['README.md'] + sorted(glob.glob('docs/*.md')):
    with open(path, encoding='utf-8') as f:
        for n, para in enumerate(paragraphs(f.read())):
            sentences = [s.strip() for s in SENTENCE.split(para) if s.strip()]
            if len(sentences) < 2 or len(sentences[0].split()) < 6:
                continue
            query, passage = sentences[0], ' '.join(sentences[1:])
            if passage in seen or len(passage.split()) < 12:
                continue
            seen.add(passage)
            items.append({'id': f"{path.removeprefix('docs/').removesuffix('.md')}-{n}", 'source': path, 'query': query, 'passage': passage})


out = sys.argv[1] if len(sys.argv) > 1 else 'tests/GopiAI.Toolkit.SemanticMemory.Tests/Evaluation/Data/docs-passages.jsonl'
with open(out, 'w', encoding='utf-8', newline='\n') as f:
    for item in items:
        f.write(json.dumps(item, ensure_ascii=False) + '\n')
print(f'{len(items)} passages -> {out}')
