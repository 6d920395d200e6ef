#!/usr/bin/python3
"""Whether the plain-text part of each mail says what its HTML part says.

    mail_parity.py MAILS.json  ->  JSON list of mismatches on stdout

MAILS.json is a list of {"id", "text", "html"}. The HTML's visible text comes from Python's
html.parser (tags dropped, entities decoded, <head> ignored), so the check shares no code with the
templates. Both sides become multisets of words (letters, digits and the characters inside numbers,
dates and codes); a word one side has more often than the other is a fact that one part lacks.
"""
import collections
import html.parser
import json
import re
import sys

WORD = re.compile(r"\w(?:[\w.,:/%+\-]*\w)?")


class Visible(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "style", "script"):
            self.hidden += 1
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("head", "style", "script"):
            self.hidden -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(markup):
    parser = Visible()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def words(text):
    return collections.Counter(WORD.findall(text))


def main(path):
    with open(path, encoding="utf-8") as f:
        mails = json.load(f)
    mismatches = []
    for mail in mails:
        text, shown = words(mail["text"]), words(visible_text(mail["html"]))
        only_text, only_html = sorted((text - shown).elements()), sorted((shown - text).elements())
        if only_text or only_html:
            mismatches.append({"id": mail["id"], "only_text": only_text, "only_html": only_html})
    json.dump({"checked": len(mails), "mismatches": mismatches}, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
