#!/usr/bin/python3
"""Reads a demo outbox (.eml files) and prints, as JSON, the mails per recipient language and every
template word of another language, stage or kind code and "UTC" found in them.

A mail's language is told by its footer ("Вы получили…", "Otrzymujesz…", "You receive…"). Names
of customers, places and crews come from the host in whatever language they were typed, so only
the words of the CRM's own templates are looked for, never names.
"""
import collections
import email
import email.policy
import glob
import json
import re
import sys

POLISH = ["zaplanowany", "przełożony", "rozpoczęty", "zakończony", "Montaż", "Przedpłata", "Płatność",
          "Projekt:", "Klient:", "Kwota", "Termin", "Kiedy", "Kontrahent", "Zamówienie", "Faktura", "Przyjęto",
          "Rezerwacja", "Zarezerwowano", "Wymagana", "przydzielona", "Poprzednio", "Dokument:", "Pomiar:",
          "reguły", "Wpłynęła", "Notatka", "Uwagi z pomiaru", "Podsumowanie", "Przypomnienie", "Po terminie"]
RUSSIAN = ["запланирован", "перенесён", "начат", "завершён", "Монтаж", "Предоплата", "Платёж", "Проект:",
           "Заказчик", "Сумма", "Срок", "Когда", "Контрагент", "Заказ ", "Счёт", "назначена", "Было:",
           "Документ:", "Замер:", "правилу", "Поступил", "Сводка", "Напоминание", "Просрочено"]
CODES = ["measurement", "installation", "production", "delivery", "schedule.", "payment.", "order.",
         "warehouse.", "note.", "UTC", "Payments:", "project manager", "Morning digest"]
FOOTERS = {"ru": "Вы получили это письмо", "pl": "Otrzymujesz tę wiadomość", "en": "You receive this"}


def language(text):
    for code, footer in FOOTERS.items():
        if footer in text:
            return code
    return "?"


def readable(path):
    msg = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    parts = [str(msg.get("Subject", ""))]
    parts += [p.get_content() for p in msg.walk() if p.get_content_type() == "text/plain"]
    return "\n".join(parts)


def main(outbox):
    counts = collections.Counter()
    problems = []
    for path in sorted(glob.glob(outbox + "/*.eml")):
        text = readable(path)
        lang = language(text)
        counts[lang] += 1
        foreign = {"ru": POLISH + CODES, "pl": RUSSIAN + CODES, "en": POLISH + RUSSIAN + ["UTC"]}.get(lang, [])
        for word in foreign:
            if re.search(r"(?<!\w)" + re.escape(word), text):
                line = next(l for l in text.splitlines() if word in l)
                problems.append({"file": path, "language": lang, "word": word, "line": line})
    print(json.dumps({"languages": counts, "problems": problems}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
