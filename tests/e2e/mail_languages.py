#!/usr/bin/python3
"""Reads a demo outbox (.eml files) and prints, as JSON, the mails per recipient language and every
template word of another language, stage or kind code and "UTC" found in them.

A mail's language is told by its footer ("Вы получили…", "Otrzymujesz…", "You receive…"). Names
of customers, places and crews come from the host in whatever language they were typed, so only
the words of the CRM's own templates are looked for, never names.

With --payment-amounts ADDRESS,... it prints instead, for the mails to those addresses, how many
speak of a payment event (payment.* kinds, by their names in the three languages) and every line
of them that shows an amount of money: people whose rights hide payment details must find none.
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


# The payment.* kinds as mails name them ("Kind: title"), in ru, pl and en.
PAYMENT_KINDS = ["Поступил платёж", "Поступила предоплата", "Поступил окончательный платёж", "Просрочена оплата",
                 "Wpłynęła płatność", "Wpłynęła przedpłata", "Wpłynęła płatność końcowa", "Zaległa płatność",
                 "Payment received", "Prepayment received", "Final payment received", "Payment overdue"]
CURRENCY = r"(?:zł|PLN|₽|руб|€|EUR|£|GBP|\$|USD)"
MONEY = re.compile(r"\d[\d\u00a0\u202f ]*[.,]\d\d\s?" + CURRENCY + r"|" + CURRENCY + r"\s?\d")


def recipient(path):
    msg = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    return msg["To"].addresses[0].addr_spec.lower() if msg["To"] else ""


def payment_amounts(outbox, addresses):
    """Mails about payment events to `addresses`, and their lines that show an amount."""
    mails, leaks = 0, []
    for path in sorted(glob.glob(outbox + "/*.eml")):
        if recipient(path) not in addresses:
            continue
        lines = readable(path).splitlines()
        subject = lines[0] if lines else ""
        # A mail about one payment event: every line is about it. A digest: the payment's own lines.
        whole = any(k in subject for k in PAYMENT_KINDS)
        about = [l for l in lines if whole or any(k in l for k in PAYMENT_KINDS)]
        if not about:
            continue
        mails += 1
        leaks += [{"file": path, "to": recipient(path), "line": l} for l in about if MONEY.search(l)]
    return {"payment_mails": mails, "with_amount": leaks}


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
    if len(sys.argv) > 3 and sys.argv[2] == "--payment-amounts":
        wanted = {a.strip().lower() for a in sys.argv[3].split(",") if a.strip()}
        print(json.dumps(payment_amounts(sys.argv[1], wanted), ensure_ascii=False))
    else:
        main(sys.argv[1])
