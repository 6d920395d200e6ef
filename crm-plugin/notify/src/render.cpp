#include <conduit/crm/notify/render.hpp>

#include <conduit/crm/foundation/formatter.hpp>
#include <conduit/crm/notify/rules.hpp>
#include <conduit/crm/timeline/event_text.hpp>
#include <conduit/crm/timeline/stage.hpp>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

namespace conduit::crm::notify {
namespace {

// The fixed phrases of the templates, one set per language.
struct Phrases {
    const char* reminder;     // subject prefix of a reminder before the due time
    const char* overdue;      // ... after it
    const char* lateNote;     // body line of a late reminder/digest; %s = when it was due to go out
    const char* lateTag;      // subject suffix
    const char* inDays;       // %d
    const char* inHours;      // %d
    const char* overdueDays;  // %d
    const char* overdueHours; // %d
    const char* dueNow;
    const char* dueToday;     // a date-only due date that is today
    const char* project;
    const char* counterparty;
    const char* when;
    const char* due;
    const char* amount;
    const char* stage;
    const char* crew;
    const char* invoice;
    const char* attachments;
    const char* why;          // %s = rule name
    const char* digestSubject;  // %s = date, %d = count
    const char* digestIntro;
    const char* noProject;
};

const Phrases kRu{"Напоминание", "Просрочено", "Напоминание отправлено с опозданием (должно было уйти %s).", " [с опозданием]",
                  "через %d дн.", "через %d ч.", "просрочено на %d дн.", "просрочено на %d ч.", "срок наступил", "срок сегодня",
                  "Проект", "Контрагент", "Когда", "Срок", "Сумма", "Этап", "Бригада", "Накладная", "Вложения",
                  "Вы получили это письмо по правилу «%s».", "Сводка событий за %s: %d", "События с прошлой сводки, которые вы ещё не прочитали:",
                  "Без проекта"};
const Phrases kPl{"Przypomnienie", "Po terminie", "Przypomnienie wysłane z opóźnieniem (miało wyjść %s).", " [z opóźnieniem]",
                  "za %d dni", "za %d godz.", "po terminie o %d dni", "po terminie o %d godz.", "termin właśnie mija", "termin mija dziś",
                  "Projekt", "Kontrahent", "Kiedy", "Termin", "Kwota", "Etap", "Ekipa", "Faktura/WZ", "Załączniki",
                  "Otrzymujesz tę wiadomość z powodu reguły „%s”.", "Podsumowanie zdarzeń z %s: %d", "Zdarzenia od ostatniego podsumowania, których jeszcze nie przeczytano:",
                  "Bez projektu"};
const Phrases kEn{"Reminder", "Overdue", "This reminder is late (it was due to go out %s).", " [late]",
                  "in %d days", "in %d hours", "overdue by %d days", "overdue by %d hours", "due now", "due today",
                  "Project", "Counterparty", "When", "Due", "Amount", "Stage", "Crew", "Invoice/waybill", "Attachments",
                  "You receive this because of the rule \"%s\".", "Digest of %s: %d events", "Events since the last digest that you have not read yet:",
                  "No project"};

const Phrases& phrases(std::string_view language) {
    if (language == "ru") return kRu;
    if (language == "pl") return kPl;
    return kEn;
}

std::string format(const char* pattern, const std::string& s) {
    std::string out(pattern);
    if (auto p = out.find("%s"); p != std::string::npos) out.replace(p, 2, s);
    return out;
}

std::string format(const char* pattern, long long n) {
    std::string out(pattern);
    if (auto p = out.find("%d"); p != std::string::npos) out.replace(p, 2, std::to_string(n));
    return out;
}

// "in 2 days" / "overdue by 3 hours" relative to now.
std::string relative(sdk::TimePoint due, sdk::TimePoint now, const Phrases& p) {
    using namespace std::chrono;
    const auto diff = duration_cast<minutes>(due - now).count();
    const long long absMin = std::llabs(diff);
    if (absMin < 30) return p.dueNow;
    const long long hoursN = (absMin + 30) / 60;
    const long long daysN = (absMin + 12 * 60) / (24 * 60);
    if (diff > 0) return hoursN >= 24 ? format(p.inDays, daysN) : format(p.inHours, hoursN);
    return hoursN >= 24 ? format(p.overdueDays, daysN) : format(p.overdueHours, hoursN);
}

// A calendar due date (calendarDue) is read as it is in every zone, never shifted, never given
// an hour; other due times are moments.
std::string dueText(const Event& e, const Formatter& f) {
    if (const auto day = calendarDue(e)) return f.date(*day);
    return f.dateTime(*e.dueAt);
}

// When the event happened: its calendar date when it was typed without an hour.
std::string whenText(const Event& e, const Formatter& f) {
    if (const auto on = occurredOn(e)) return f.date(*on);
    return f.dateTime(e.occurredAt);
}

// How a reminder places the due date against now: calendar days against the installation's
// today for a due date, hours and days for a due moment.
struct DueState {
    bool after = false;
    std::string words;
};

DueState dueState(const OutboxRow& row, const Event& e, const RenderContext& c, const Phrases& p) {
    if (const auto day = calendarDue(e)) {
        const long long days = (*day - c.zone.localDate(c.now)).count();
        if (days == 0) return {row.offsetMinutes > 0, p.dueToday};
        return {days < 0, days > 0 ? format(p.inDays, days) : format(p.overdueDays, -days)};
    }
    // "Overdue" once the due time is clearly past (a reminder at the due time says "due now").
    const bool after = row.offsetMinutes > 0 || *e.dueAt + std::chrono::minutes(30) < c.now;
    return {after, relative(*e.dueAt, c.now, p)};
}

struct Fact {
    std::string label, value;
};

std::vector<Fact> facts(const Event& e, const RenderContext& c, const Phrases& p, const Formatter& f, bool includeDue) {
    std::vector<Fact> out;
    if (e.projectId) {
        auto project = c.directory.project(e.projectId);
        out.push_back({p.project, project ? project->code + " «" + project->name + "»" : "#" + std::to_string(e.projectId)});
    }
    sdk::Id cpId = e.counterpartyId;
    if (cpId) {
        auto cp = c.directory.counterparty(cpId);
        out.push_back({p.counterparty, cp ? cp->name : "#" + std::to_string(cpId)});
    }
    out.push_back({p.when, whenText(e, f)});
    if (includeDue && e.dueAt) out.push_back({p.due, dueText(e, f)});
    if (e.amount) out.push_back({p.amount, f.money(*e.amount)});
    if (!e.stage.empty()) out.push_back({p.stage, stageName(e.stage, f.locale().code())});
    if (!e.crewName.empty()) out.push_back({p.crew, e.crewName});
    if (!e.invoiceNumber.empty()) out.push_back({p.invoice, e.invoiceNumber});
    if (!e.attachments.empty()) {
        std::string names;
        for (const auto& a : e.attachments) names += (names.empty() ? "" : ", ") + a.fileName;
        out.push_back({p.attachments, names});
    }
    return out;
}

const char* kHtmlHead = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family:sans-serif\">";

}  // namespace

std::string htmlEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    for (char ch : text) {
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += ch;
        }
    }
    return out;
}

std::string_view normalizeLanguage(std::string_view language) { return Locale::of(language).code(); }

RenderedMail renderEvent(const OutboxRow& row, const Event& event, const RenderContext& context) {
    const auto lang = normalizeLanguage(row.recipient.language);
    const Phrases& p = phrases(lang);
    const Formatter& f = formatterFor(Locale::of(lang), context.zone);
    const auto kind = context.kinds.find(event.kind);
    const std::string kindName = kind ? kind->name(lang) : event.kind;
    const auto text = eventText(event, f);
    const auto why = ruleName(context.ruleName, f.locale());

    RenderedMail m;
    std::string headline = kindName + ": " + text.title;
    std::string reminderLine;
    if (row.timing == Timing::Reminder && event.dueAt) {
        const auto due = dueState(row, event, context, p);
        const std::string word = due.after ? p.overdue : p.reminder;
        reminderLine = word + " — " + due.words;
        m.subject = word + " (" + due.words + "): " + headline;
    } else {
        m.subject = headline;
    }
    std::string lateLine;
    if (row.late) {
        m.subject += p.lateTag;
        lateLine = format(p.lateNote, f.dateTime(row.fireAt.value_or(row.createdAt)));
    }

    const auto list = facts(event, context, p, f, true);
    // Plain text.
    m.text = headline + "\n";
    if (!reminderLine.empty()) m.text += reminderLine + "\n";
    if (!lateLine.empty()) m.text += lateLine + "\n";
    m.text += "\n";
    for (const auto& f : list) m.text += f.label + ": " + f.value + "\n";
    if (!text.body.empty()) m.text += "\n" + text.body + "\n";
    if (!why.empty()) m.text += "\n-- \n" + format(p.why, why) + "\n";

    // HTML: every piece of event or directory text is escaped.
    m.html = kHtmlHead;
    m.html += "<h2>" + htmlEscape(headline) + "</h2>";
    if (!reminderLine.empty()) m.html += "<p><b>" + htmlEscape(reminderLine) + "</b></p>";
    if (!lateLine.empty()) m.html += "<p style=\"color:#b00\">" + htmlEscape(lateLine) + "</p>";
    m.html += "<table>";
    for (const auto& f : list) m.html += "<tr><th align=\"left\">" + htmlEscape(f.label) + "</th><td>" + htmlEscape(f.value) + "</td></tr>";
    m.html += "</table>";
    if (!text.body.empty()) m.html += "<p style=\"white-space:pre-wrap\">" + htmlEscape(text.body) + "</p>";
    if (!why.empty()) m.html += "<hr><p style=\"color:#666\">" + htmlEscape(format(p.why, why)) + "</p>";
    m.html += "</body></html>";
    return m;
}

RenderedMail renderDigest(const OutboxRow& row, const std::vector<Event>& events, const RenderContext& context) {
    const auto lang = normalizeLanguage(row.recipient.language);
    const Phrases& p = phrases(lang);
    const Formatter& f = formatterFor(Locale::of(lang), context.zone);
    const auto why = ruleName(context.ruleName, f.locale());
    // Group: project label -> counterparty label -> events (projectless events last).
    std::map<std::pair<int, std::string>, std::map<std::string, std::vector<const Event*>>> groups;
    for (const auto& e : events) {
        std::string projectLabel, cpLabel;
        if (e.projectId) {
            auto project = context.directory.project(e.projectId);
            projectLabel = project ? project->code + " «" + project->name + "»" : "#" + std::to_string(e.projectId);
        }
        if (e.counterpartyId) {
            auto cp = context.directory.counterparty(e.counterpartyId);
            cpLabel = cp ? cp->name : "#" + std::to_string(e.counterpartyId);
        }
        groups[{e.projectId ? 0 : 1, e.projectId ? projectLabel : p.noProject}][cpLabel].push_back(&e);
    }

    RenderedMail m;
    const auto slot = row.fireAt.value_or(row.createdAt);
    m.subject = std::string(format(format(p.digestSubject, f.date(context.zone.localDate(slot))).c_str(), static_cast<long long>(events.size())));
    if (row.late) m.subject += p.lateTag;
    m.text = std::string(p.digestIntro) + "\n";
    m.html = std::string(kHtmlHead) + "<p>" + htmlEscape(p.digestIntro) + "</p>";
    if (row.late) {
        const auto late = format(p.lateNote, f.dateTime(slot));
        m.text += late + "\n";
        m.html += "<p style=\"color:#b00\">" + htmlEscape(late) + "</p>";
    }
    for (const auto& [projectKey, byCp] : groups) {
        m.text += "\n== " + projectKey.second + " ==\n";
        m.html += "<h3>" + htmlEscape(projectKey.second) + "</h3>";
        for (const auto& [cpLabel, list] : byCp) {
            if (!cpLabel.empty()) {
                m.text += "  " + std::string(p.counterparty) + ": " + cpLabel + "\n";
                m.html += "<h4>" + htmlEscape(std::string(p.counterparty) + ": " + cpLabel) + "</h4>";
            }
            m.html += "<ul>";
            for (const Event* e : list) {
                const auto kind = context.kinds.find(e->kind);
                const auto text = eventText(*e, f);
                const std::string line = whenText(*e, f) + " " + (kind ? kind->name(lang) : e->kind) + ": " + text.title;
                m.text += "  - " + line + "\n";
                if (!text.body.empty()) m.text += "    " + text.body + "\n";
                m.html += "<li>" + htmlEscape(line);
                if (!text.body.empty()) m.html += "<br><span style=\"white-space:pre-wrap\">" + htmlEscape(text.body) + "</span>";
                m.html += "</li>";
            }
            m.html += "</ul>";
        }
    }
    if (!why.empty()) {
        m.text += "\n-- \n" + format(p.why, why) + "\n";
        m.html += "<hr><p style=\"color:#666\">" + htmlEscape(format(p.why, why)) + "</p>";
    }
    m.html += "</body></html>";
    return m;
}

}  // namespace conduit::crm::notify
