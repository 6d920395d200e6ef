#!/usr/bin/python3
"""Reads the mail an SMTP server received from the demo (FOLDER/*.eml, as smtp_sink.py files it)
and prints, as JSON, what a mail reader would thread and filter by.

    mail_threads.py FOLDER  ->  JSON on stdout

A mail's project is read from its plain text ("Проект: / Projekt: / Project: <code> ..."), never
from its headers, so the check shares nothing with how the CRM picks a thread. Digests are told
by their subject in the three languages.
"""
import collections
import email
import email.policy
import glob
import json
import re
import sys

PROJECT_LINE = re.compile(r"^(?:Проект|Projekt|Project): (\S+)", re.M)
DIGEST_SUBJECTS = ("Сводка событий за", "Podsumowanie zdarzeń z", "Digest of")


def field(msg, name):
    values = msg.get_all(name) or []
    return [str(v).strip() for v in values]


def plain_text(msg):
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def main(folder):
    report = collections.defaultdict(list)
    roots_of_project = collections.defaultdict(set)
    projects_of_root = collections.defaultdict(set)
    ids, roots, list_ids = collections.Counter(), set(), collections.Counter()
    mails = digests = 0
    for path in sorted(glob.glob(folder + "/*.eml")):
        with open(path, "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        mails += 1
        name = path.rsplit("/", 1)[-1]
        ids.update(field(msg, "Message-ID"))
        if field(msg, "Auto-Submitted") != ["auto-generated"]:
            report["without_auto_submitted"].append(name)
        lists = field(msg, "List-Id")
        if len(lists) != 1:
            report["without_list_id"].append(name)
        for value in lists:
            list_ids[re.sub(r"^.*(<[^>]+>)$", r"\1", value)] += 1
        references, in_reply_to = field(msg, "References"), field(msg, "In-Reply-To")
        if str(msg["Subject"]).startswith(DIGEST_SUBJECTS):
            digests += 1
            if references or in_reply_to:
                report["digests_in_a_thread"].append(name)
            continue
        if len(references) != 1 or in_reply_to != references:
            report["event_mails_without_one_root"].append(name)
            continue
        root = references[0]
        roots.add(root)
        project = PROJECT_LINE.search(plain_text(msg))
        if project:
            roots_of_project[project.group(1)].add(root)
            projects_of_root[root].add(project.group(1))
        elif root.startswith("<project-"):
            report["project_root_without_project"].append(name)
    report["projects_with_several_roots"] = {p: sorted(r) for p, r in roots_of_project.items() if len(r) > 1}
    report["roots_of_several_projects"] = {r: sorted(p) for r, p in projects_of_root.items() if len(p) > 1}
    report["duplicate_message_ids"] = [i for i, n in ids.items() if n > 1]
    report["roots_that_are_message_ids"] = sorted(roots & set(ids))
    summary = {"mails": mails, "digests": digests, "projects": len(roots_of_project), "list_ids": list_ids}
    summary.update(report)
    json.dump(summary, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
