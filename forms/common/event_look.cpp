#include "common/event_look.hpp"

#include <conduit/crm/foundation/display_names.hpp>
#include <conduit/crm/timeline/event_text.hpp>

#include <mutex>

#include <QBuffer>
#include <QFont>
#include <QHash>
#include <QLocale>
#include <QPainter>
#include <QPixmap>

#include <cstdlib>
#include <map>

namespace conduit::forms {

QColor importanceColor(crm::Importance importance) {
    switch (importance) {
    case crm::Importance::Low: return QColor(0x9e, 0x9e, 0x9e);
    case crm::Importance::Normal: return QColor(0x42, 0x85, 0xf4);
    case crm::Importance::High: return QColor(0xf5, 0x9e, 0x0b);
    case crm::Importance::Critical: return QColor(0xdc, 0x26, 0x26);
    }
    return QColor(Qt::gray);
}

QString importanceName(crm::Importance importance, const Lang& lang) {
    switch (importance) {
    case crm::Importance::Low: return lang.pick("Low", "Низкая", "Niska");
    case crm::Importance::Normal: return lang.pick("Normal", "Обычная", "Normalna");
    case crm::Importance::High: return lang.pick("High", "Высокая", "Wysoka");
    case crm::Importance::Critical: return lang.pick("Critical", "Критическая", "Krytyczna");
    }
    return {};
}

QIcon importanceIcon(crm::Importance importance) {
    static QHash<int, QIcon> cache;
    const int key = static_cast<int>(importance);
    if (auto it = cache.find(key); it != cache.end()) return *it;
    QPixmap pm(12, 12);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(importanceColor(importance));
    p.drawRoundedRect(QRectF(1, 1, 10, 10), 2, 2);
    p.end();
    return *cache.insert(key, QIcon(pm));
}

namespace {

struct Badge {
    QColor color;
    QString glyph;
};

// Icon names of the built-in kinds; kinds added later get a colour from their name's hash.
Badge badgeFor(const std::string& icon) {
    static const std::map<std::string, Badge> known = {
        {"package-reserved", {QColor(0x8d, 0x6e, 0x63), QStringLiteral("▣")}},
        {"payment-due", {QColor(0xf5, 0x9e, 0x0b), QStringLiteral("!")}},
        {"factory", {QColor(0x60, 0x7d, 0x8b), QStringLiteral("⚙")}},
        {"crew", {QColor(0x00, 0x96, 0x88), QStringLiteral("☺")}},
        {"calendar-plan", {QColor(0x3f, 0x51, 0xb5), QStringLiteral("▦")}},
        {"calendar-move", {QColor(0xff, 0x70, 0x43), QStringLiteral("↷")}},
        {"stage-start", {QColor(0x29, 0xb6, 0xf6), QStringLiteral("▶")}},
        {"stage-done", {QColor(0x43, 0xa0, 0x47), QStringLiteral("✓")}},
        {"installation", {QColor(0x7b, 0x1f, 0xa2), QStringLiteral("⌂")}},
        {"warehouse-in", {QColor(0x55, 0x8b, 0x2f), QStringLiteral("↓")}},
        {"invoice", {QColor(0x45, 0x5a, 0x64), QStringLiteral("≡")}},
        {"payment", {QColor(0x2e, 0x7d, 0x32), QStringLiteral("¤")}},
        {"payment-final", {QColor(0x1b, 0x5e, 0x20), QStringLiteral("¤")}},
        {"payment-overdue", {QColor(0xc6, 0x28, 0x28), QStringLiteral("¤")}},
        {"note", {QColor(0xfb, 0xc0, 0x2d), QStringLiteral("✎")}},
        {"ruler", {QColor(0x6d, 0x4c, 0x41), QStringLiteral("⊾")}},
        {"attachment", {QColor(0x78, 0x90, 0x9c), QStringLiteral("≣")}},
        {"mail-sent", {QColor(0x03, 0x9b, 0xe5), QStringLiteral("✉")}},
    };
    if (auto it = known.find(icon); it != known.end()) return it->second;
    const auto h = static_cast<int>(qHash(QString::fromStdString(icon)) % 360);
    const QString glyph = icon.empty() ? QStringLiteral("•") : QString(QChar(icon.front())).toUpper();
    return {QColor::fromHsv(h, 150, 190), glyph};
}

QPixmap drawBadge(const std::string& icon, int size) {
    const Badge b = badgeFor(icon);
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(b.color);
    p.drawRoundedRect(QRectF(0.5, 0.5, size - 1.0, size - 1.0), size / 4.0, size / 4.0);
    QFont f = p.font();
    f.setPixelSize(std::max(8, size * 2 / 3));
    f.setBold(true);
    p.setFont(f);
    p.setPen(Qt::white);
    p.drawText(QRect(0, 0, size, size), Qt::AlignCenter, b.glyph);
    p.end();
    return pm;
}

}  // namespace

QIcon kindIcon(const std::string& iconName) {
    static QHash<QString, QIcon> cache;
    const QString key = QString::fromStdString(iconName);
    if (auto it = cache.find(key); it != cache.end()) return *it;
    QIcon icon;
    icon.addPixmap(drawBadge(iconName, 16));
    icon.addPixmap(drawBadge(iconName, 32));
    return *cache.insert(key, icon);
}

QByteArray kindIconPng(const std::string& iconName, int size) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    drawBadge(iconName, size).save(&buffer, "PNG");
    return bytes;
}

QString moduleName(const std::string& module, const Lang& lang) {
    if (module == "orders") return lang.pick("Orders", "Заказы", "Zamówienia");
    if (module == "scheduling") return lang.pick("Scheduling", "Планирование", "Planowanie");
    if (module == "fg_warehouse") return lang.pick("Finished goods warehouse", "Склад готовой продукции", "Magazyn wyrobów gotowych");
    if (module == "multi_warehouse") return lang.pick("Warehouses", "Склады", "Magazyny");
    if (module == "payments") return lang.pick("Payments", "Платежи", "Płatności");
    if (module.empty()) return lang.pick("User notes", "Заметки пользователей", "Notatki użytkowników");
    return QString::fromStdString(module);
}

namespace {

struct Reader {
    std::mutex mutex;
    const crm::Formatter* format = &crm::formatterFor(crm::Locale::of("pl"), crm::TimeZone::defaultFor(crm::Language::Pl));
};

Reader& theReader() {
    static Reader r;
    return r;
}

QString qt(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

void setReader(const crm::Locale& locale, const crm::TimeZone& zone) {
    auto& r = theReader();
    std::lock_guard lock(r.mutex);
    r.format = &crm::formatterFor(locale, zone);
}

const crm::Formatter& reader() {
    auto& r = theReader();
    std::lock_guard lock(r.mutex);
    return *r.format;
}

QString eventTitle(const crm::Event& e) { return qt(crm::eventText(e, reader()).title); }
QString eventBody(const crm::Event& e) { return qt(crm::eventText(e, reader()).body); }

QDate localToday(sdk::TimePoint now) {
    const std::chrono::year_month_day ymd{reader().zone().localDate(now)};
    return QDate(static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                 static_cast<int>(static_cast<unsigned>(ymd.day())));
}

sdk::TimePoint startOfLocalDay(const QDate& day) {
    const auto ymd = std::chrono::year(day.year()) / std::chrono::month(static_cast<unsigned>(day.month())) /
                     std::chrono::day(static_cast<unsigned>(day.day()));
    return reader().zone().startOfDay(sdk::Date(ymd));
}

QString formatTime(sdk::TimePoint t) { return qt(reader().dateTime(t)); }

QString formatDate(sdk::Date d) { return qt(reader().shortDate(d)); }

QString formatWhen(const crm::Event& e) {
    if (const auto on = crm::occurredOn(e)) return formatDate(*on);
    return formatTime(e.occurredAt);
}

QString formatDue(const crm::Event& e) {
    const auto day = crm::dueDate(e);
    return day ? formatDate(*day) : QString();
}

QString formatMoney(const sdk::Money& money, const Lang& lang) {
    return qt(crm::formatterFor(crm::Locale::of(lang.locale()), reader().zone()).money(money));
}

QString formatAmount(const crm::Event& e, const Lang& lang) { return e.amount ? formatMoney(*e.amount, lang) : QString(); }

QString formatSize(std::int64_t bytes) {
    const QLocale locale(QString::fromUtf8(reader().locale().icuName().c_str()));
    // One decimal while the figure is small ("1,5 KB"), none once it is not ("300 KB", "640 B").
    double units = static_cast<double>(bytes);
    while (units >= 1024.0) units /= 1024.0;
    const int decimals = bytes >= 1024 && units < 10.0 ? 1 : 0;
    return locale.formattedDataSize(bytes, decimals, QLocale::DataSizeTraditionalFormat);
}

QString statusName(const std::string& status, const Lang& lang) {
    return qt(crm::projectStatusName(status, crm::Locale::of(lang.locale())));
}

QString languageName(const std::string& tag, const Lang& lang) { return qt(crm::languageName(tag, crm::Locale::of(lang.locale()))); }

}  // namespace conduit::forms
