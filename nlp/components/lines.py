"""spaCy component ``sightline_lines``: a report's lines are sentences of their own.

Police and intelligence reports are written in lines ("DATE: 17 October 2023", "Subject: ...",
"2. Principal subject: Yusuf ABUBAKAR ... Phones: ..."). The parser, reading them as one run, made one
"sentence" of a whole header, and every phone in it went to whichever name was nearest. This component
runs before the parser and starts a sentence after a line break when the line before is short (a
header or list line) or ends a sentence, or a blank line separates them; hard-wrapped prose, whose lines
are long and run on, is left alone. The parser respects boundaries set before it.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc

from nlp.doc_store import doc_text

SHORT_LINE = 60
_LINE_BREAK_RE = re.compile(r"\n[ \t\r\n]*")


class LineBreaks:
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        if "\n" not in text:
            return doc
        starts = [t.idx for t in doc]  # one walk of the doc; lines are found in the text, not per token
        line_start = 0
        for match in _LINE_BREAK_RE.finditer(text):
            previous = text[line_start : match.start()].rstrip()
            line_start = match.end()
            k = bisect_left(starts, line_start)
            if k == 0 or k >= len(starts):
                continue
            token = doc[k]
            if token.is_space:
                continue
            blank = match.group().count("\n") > 1
            if blank or not previous or len(previous) < SHORT_LINE or previous[-1] in ".:;!?|" \
                    or token.text[:1] in {"-", "•", "*", "–"} or token.like_num:
                token.is_sent_start = True
        return doc


@Language.factory("sightline_lines")
def make_line_breaks(nlp: Language, name: str) -> LineBreaks:
    return LineBreaks()
