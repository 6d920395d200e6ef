#!/usr/bin/python3
"""Independent MIME parser for the mail tests: reads one message, prints what a mail reader sees.

    mime_check.py FILE.eml   ->  JSON on stdout

Python's email package (policy.default) decodes RFC 2047 words, RFC 2231 parameters and
transfer encodings, so the C++ renderer is judged by a parser it shares no code with.
Also reports defects and raw-format facts (line lengths, bare CR/LF) the renderer must respect.
"""

import email
import email.header
import email.policy
import email.utils
import hashlib
import json
import sys


def rfc2047_names(legacy, name):
    # CPython's modern parser keeps the space between adjacent encoded-words inside a display
    # name (RFC 2047 6.2 says to drop it); the legacy decoder follows the RFC.
    pairs = email.utils.getaddresses(legacy.get_all(name, []))
    return [str(email.header.make_header(email.header.decode_header(n))) if n else "" for n, _ in pairs]


def mailboxes(msg, legacy, name):
    header = msg[name]
    if header is None:
        return []
    strict = rfc2047_names(legacy, name)
    out = [{"name": a.display_name, "address": a.addr_spec} for a in header.addresses]
    for entry, rfc_name in zip(out, strict):
        entry["name_rfc2047"] = rfc_name
    return out


def body_text(msg, kind):
    part = msg.get_body(preferencelist=(kind,))
    if part is None or part.get_content_type() != "text/" + kind:
        return None
    return part.get_content()


def attachments(msg):
    out = []
    for part in msg.iter_attachments():
        data = part.get_payload(decode=True) or b""
        out.append({
            "filename": part.get_filename(),
            "content_type": part.get_content_type(),
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "hex": data.hex() if len(data) <= 65536 else None,
        })
    return out


def defects(msg):
    found = []
    for part in msg.walk():
        found += [type(d).__name__ for d in part.defects]
        for name, value in part.items():
            found += ["%s: %s" % (name, type(d).__name__) for d in getattr(value, "defects", [])]
    return found


def raw_facts(raw):
    lines = raw.split(b"\r\n")
    header_end = raw.find(b"\r\n\r\n")
    return {
        "max_line_length": max(len(line) for line in lines),
        "bare_line_breaks": raw.replace(b"\r\n", b"").count(b"\n") + raw.replace(b"\r\n", b"").count(b"\r"),
        "ascii_only": all(b < 128 for b in raw),
        "raw_headers": raw[:header_end].decode("ascii", "replace") if header_end >= 0 else "",
    }


def main(path):
    with open(path, "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    legacy = email.message_from_bytes(raw, policy=email.policy.compat32)
    report = {
        "subject": str(msg["subject"]) if msg["subject"] is not None else None,
        "message_id": str(msg["message-id"]) if msg["message-id"] is not None else None,
        "date": str(msg["date"]) if msg["date"] is not None else None,
        "mime_version": msg["mime-version"],
        "content_type": msg.get_content_type(),
        "from": mailboxes(msg, legacy, "from"),
        "to": mailboxes(msg, legacy, "to"),
        "cc": mailboxes(msg, legacy, "cc"),
        "header_names": [k.lower() for k in msg.keys()],
        "fields": {k.lower(): [str(v) for v in msg.get_all(k)] for k in msg.keys()},
        "text": body_text(msg, "plain"),
        "html": body_text(msg, "html"),
        "attachments": attachments(msg),
        "defects": defects(msg),
    }
    report.update(raw_facts(raw))
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
