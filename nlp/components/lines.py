"""spaCy component ``sightline_lines``: a report's lines are sentences of their own.

Police and intelligence reports are written in lines ("DATE: 17 October 2023", "Subject: ...",
"2. Principal subject: Yusuf ABUBAKAR ... Phones: ..."). The parser, reading them as one run, made one
"sentence" of a whole header, and every phone in it went to whichever name was nearest. This component
runs before the parser and starts a sentence after a line break when the line before is short (a
header or list line) or ends a sentence, or a blank line separates them; hard-wrapped prose, whose lines
are long and run on, is left alone. The parser respects boundaries set before it.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

SHORT_LINE = 60


class LineBreaks:
    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        if "\n" not in text:
            return doc
        line_start = 0
        for token in doc:
            if token.i == 0:
                continue
            newline = text.rfind("\n", 0, token.idx)
            if newline < line_start:
                continue  # no line break since the last line start
            previous = text[line_start:newline].rstrip()
            line_start = newline + 1
            if token.is_space:
                continue
            blank = "\n" in text[text.rfind("\n", 0, newline) + 1 : newline] or text[:newline].endswith("\n")
            if blank or not previous or len(previous) < SHORT_LINE or previous[-1] in ".:;!?|" \
                    or token.text[:1] in {"-", "•", "*", "–"} or token.like_num:
                token.is_sent_start = True
        return doc


@Language.factory("sightline_lines")
def make_line_breaks(nlp: Language, name: str) -> LineBreaks:
    return LineBreaks()
