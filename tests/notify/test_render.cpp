// Mail templates: the recipient's language, reminders relative to the due time, the late notice,
// and HTML escaping of everything that comes from events or the directory.
#include "notify_test_util.hpp"

#include <conduit/crm/notify/render.hpp>

namespace notifytest {
namespace {

using notify::OutboxRow;
using notify::Timing;

class RenderTest : public ::testing::Test {
protected:
    Directory directory;
    crm::EventKindRegistry kinds;
    notify::RenderContext context(sdk::TimePoint now, const std::string& rule = "Reguła") { return {kinds, directory, now, rule}; }
    static OutboxRow rowFor(const std::string& lang, Timing timing = Timing::OnOccurrence, int offset = 0) {
        OutboxRow r;
        r.recipient.address = "x@example.org";
        r.recipient.language = lang;
        r.timing = timing;
        r.offsetMinutes = offset;
        return r;
    }
};

TEST_F(RenderTest, ReminderWordsFollowTheDueTimeInEachLanguage) {
    auto e = makeEvent("r", "schedule.installation_planned", at(2026, 3, 1), 1001, 101);
    e.title = "Montaż";
    e.dueAt = at(2026, 3, 10, 10, 0);
    auto en = notify::renderEvent(rowFor("en", Timing::Reminder, 0), e, context(at(2026, 3, 10, 10, 5)));
    EXPECT_EQ(en.subject, "Reminder (due now): Installation planned: Montaż");
    auto pl = notify::renderEvent(rowFor("pl", Timing::Reminder, -2880), e, context(at(2026, 3, 8, 10, 0)));
    EXPECT_EQ(pl.subject, "Przypomnienie (za 2 dni): Zaplanowano montaż: Montaż");
    auto ru = notify::renderEvent(rowFor("ru", Timing::Reminder, 1440), e, context(at(2026, 3, 11, 10, 0)));
    EXPECT_EQ(ru.subject, "Просрочено (просрочено на 1 дн.): Запланирован монтаж: Montaż");
    // An unknown language falls back to English.
    EXPECT_EQ(notify::renderEvent(rowFor("de"), e, context(at(2026, 3, 1))).subject, "Installation planned: Montaż");
}

TEST_F(RenderTest, EverythingFromEventsAndTheDirectoryIsEscapedInHtml) {
    directory.add(sdk::Project{1003, "P<1>", "\"Okna\" & <script>", 101, 13, 14, "enquiry", ""});
    auto e = makeEvent("h", "note.project", at(2026, 3, 1), 1003, 101);
    e.title = "<img src=x onerror=alert(1)>";
    e.body = "a & b < c";
    const auto m = notify::renderEvent(rowFor("pl"), e, context(at(2026, 3, 1), "<rule>"));
    for (const char* raw : {"<img", "<script>", "<1>", "<rule>", "a & b"}) EXPECT_EQ(m.html.find(raw), std::string::npos) << raw;
    for (const char* escaped : {"&lt;img src=x onerror=alert(1)&gt;", "&quot;Okna&quot; &amp; &lt;script&gt;", "P&lt;1&gt;",
                                "&lt;rule&gt;", "a &amp; b &lt; c"})
        EXPECT_NE(m.html.find(escaped), std::string::npos) << escaped;
    // The plain text keeps the text as it is.
    EXPECT_NE(m.text.find("<img src=x onerror=alert(1)>"), std::string::npos);
    const auto d = notify::renderDigest(rowFor("ru", Timing::Digest), {e}, context(at(2026, 3, 2)));
    EXPECT_EQ(d.html.find("<img"), std::string::npos);
    EXPECT_NE(d.html.find("&lt;img"), std::string::npos);
}

}  // namespace
}  // namespace notifytest
