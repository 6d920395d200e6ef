#include "catalogue/party_draft.hpp"

#include <QRegularExpression>

namespace conduit::forms {

using namespace crm::parties;

std::vector<std::string> splitItems(const QString& text) {
    std::vector<std::string> out;
    for (const auto& part : text.split(QRegularExpression(QStringLiteral("[;\\n]")), Qt::SkipEmptyParts)) {
        const auto item = part.trimmed();
        if (!item.isEmpty()) out.push_back(item.toStdString());
    }
    return out;
}

std::set<std::string> splitTags(const QString& text) {
    std::set<std::string> out;
    for (const auto& part : text.split(QRegularExpression(QStringLiteral("[,;]")), Qt::SkipEmptyParts)) {
        const auto tag = part.trimmed();
        if (!tag.isEmpty()) out.insert(tag.toStdString());
    }
    return out;
}

TypedDate readMemorableDate(const QString& text, MemorableDateKind kind) {
    const auto typed = text.trimmed();
    if (typed.isEmpty()) return {};
    // Day first as people of both languages write it, or the ISO order a pasted date may have.
    static const QRegularExpression dayFirst(QStringLiteral("^(\\d{1,2})[.\\-/](\\d{1,2})(?:[.\\-/](\\d{4}))?\\.?$"));
    static const QRegularExpression iso(QStringLiteral("^(\\d{4})-(\\d{1,2})-(\\d{1,2})$"));
    MemorableDate date;
    date.kind = kind;
    if (const auto m = dayFirst.match(typed); m.hasMatch()) {
        date.day = m.captured(1).toUInt();
        date.month = m.captured(2).toUInt();
        if (!m.captured(3).isEmpty()) date.year = m.captured(3).toInt();
    } else if (const auto i = iso.match(typed); i.hasMatch()) {
        date.year = i.captured(1).toInt();
        date.month = i.captured(2).toUInt();
        date.day = i.captured(3).toUInt();
    } else {
        return {std::nullopt, FieldProblem::DateInvalid};
    }
    return {date, std::nullopt};
}

QString memorableDateInput(const MemorableDate& date) {
    auto text = QStringLiteral("%1.%2").arg(date.day, 2, 10, QLatin1Char('0')).arg(date.month, 2, 10, QLatin1Char('0'));
    if (date.year) text += QStringLiteral(".%1").arg(*date.year);
    return text;
}

}  // namespace conduit::forms
