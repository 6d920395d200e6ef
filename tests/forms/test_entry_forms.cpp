// Entry dialogs: bad input is refused next to its field in the user's language and stores
// nothing; valid input stores exactly one event; the "Will be notified" line follows the edits.
#include "forms_test_util.hpp"

#include <dispatcher/dispatcher_workstation.hpp>
#include <dispatcher/search_picker.hpp>
#include <entry/entry_form.hpp>
#include <feed/feed_model.hpp>

#include <conduit/crm/entries/user_events.hpp>

#include <QComboBox>
#include <QDialog>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>

#include <fstream>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;

namespace {

TEST(ParseAmount, AcceptsTheWaysPeopleWriteMoney) {
    EXPECT_EQ(parseAmount("1 234,56"), 123456);
    EXPECT_EQ(parseAmount(QString::fromUtf8("1\u00a0234,5")), 123450);
    EXPECT_EQ(parseAmount("1,234.56"), 123456);
    EXPECT_EQ(parseAmount("1.234,56"), 123456);
    EXPECT_EQ(parseAmount("1234.56"), 123456);
    EXPECT_EQ(parseAmount("12"), 1200);
    EXPECT_EQ(parseAmount("0"), 0);
    EXPECT_FALSE(parseAmount(""));
    EXPECT_FALSE(parseAmount("abc"));
    EXPECT_FALSE(parseAmount("-5"));
    EXPECT_FALSE(parseAmount("1,2,3"));
    EXPECT_FALSE(parseAmount("12.345.6"));
    EXPECT_FALSE(parseAmount("99999999999999999999"));
}

class EntryTest : public FormsTest {
protected:
    void SetUp() override {
        FormsTest::SetUp();
        cache = std::make_unique<DirectoryCache>(directory);
    }
    crm::UserEvents& userEvents(const std::string& locale) {
        events = std::make_unique<crm::UserEvents>(
            [this](crm::Event e) {
                if (refuseNext) {
                    refuseNext = false;
                    return false;
                }
                return store->writer().submit(std::move(e));
            },
            directory, locale);
        return *events;
    }
    std::unique_ptr<EntryForm> form(EntryKind kind, const std::string& locale, EntryPreset preset = {}) {
        EntryContext context{userEvents(locale), *cache, Lang(locale), *directory.user(kMe), preview};
        auto f = std::make_unique<EntryForm>(kind, std::move(context), preset);
        f->show();
        return f;
    }
    std::vector<crm::Event> stored(const std::string& kind) {
        EXPECT_TRUE(store->writer().flush(10s));
        crm::FeedFilter f;
        f.kinds = {kind};
        return store->feed(f, std::nullopt, 100).events;
    }
    std::unique_ptr<DirectoryCache> cache;
    std::unique_ptr<crm::UserEvents> events;
    PreviewRecipients preview;
    bool refuseNext = false;
};

TEST_F(EntryTest, PaymentRefusesBadInputInRussianAndStoresNothing) {
    auto f = form(EntryKind::Payment, "ru");
    f->counterpartyPicker()->setSelectedId(10);
    EXPECT_FALSE(f->save());
    EXPECT_EQ(f->messageFor("amount"), QString::fromUtf8("Введите сумму"));
    f->amountEdit()->setText("двенадцать");
    EXPECT_FALSE(f->save());
    EXPECT_TRUE(f->messageFor("amount").startsWith(QString::fromUtf8("Это не сумма")));
    f->amountEdit()->setText("0");
    EXPECT_FALSE(f->save());
    EXPECT_EQ(f->messageFor("amount"), QString::fromUtf8("Сумма должна быть больше нуля"));  // from the core
    EXPECT_TRUE(f->messageFor("counterparty").isEmpty());
    f->counterpartyPicker()->setSelectedId(std::nullopt);
    f->amountEdit()->setText("100");
    EXPECT_FALSE(f->save());
    EXPECT_EQ(f->messageFor("counterparty"), QString::fromUtf8("Выберите контрагента"));
    // A project of another customer.
    f->counterpartyPicker()->setSelectedId(10);
    f->projectPicker()->setSelectedId(11);
    f->counterpartyPicker()->setSelectedId(10);  // picking the project had switched to its customer
    EXPECT_FALSE(f->save());
    EXPECT_TRUE(f->messageFor("project").startsWith(QString::fromUtf8("Проект относится к другому контрагенту")));
    EXPECT_TRUE(stored("payment.received").empty());
}

TEST_F(EntryTest, MeasurementRefusesInPolish) {
    auto f = form(EntryKind::Measurement, "pl");
    f->textEdit()->setPlainText(QString::fromUtf8("Montaż od strony podwórza, żółte ramy"));
    EXPECT_FALSE(f->save());
    EXPECT_EQ(f->messageFor("project"), QString::fromUtf8("Wybierz projekt"));
    f->projectPicker()->setSelectedId(4);
    const auto txt = dir / "arkusz.pdf";  // the name says PDF, the bytes do not
    std::ofstream(txt) << "just text";
    f->addSheetFile(QString::fromStdString(txt.string()));
    EXPECT_FALSE(f->save());
    EXPECT_TRUE(f->messageFor("attachment").startsWith(QString::fromUtf8("Dozwolone są tylko pliki PDF, JPEG, PNG i TIFF")));
    f->addSheetFile(QString::fromStdString((dir / "missing.pdf").string()));
    EXPECT_TRUE(f->messageFor("attachment").startsWith(QString::fromUtf8("Nie można odczytać pliku")));
    EXPECT_TRUE(stored("note.measurement").empty());
}

TEST_F(EntryTest, ValidPaymentCreatesExactlyOneEvent) {
    auto f = form(EntryKind::Payment, "pl", EntryPreset{12, 0});
    EXPECT_EQ(f->counterpartyPicker()->selectedId(), std::optional<sdk::Id>(12));
    f->amountEdit()->setText("1 234,56");
    f->documentEdit()->setText("FV/2026/01/17");
    const auto request = f->requestId();
    int savedSignals = 0;
    QObject::connect(f.get(), &EntryForm::saved, [&] { ++savedSignals; });
    ASSERT_TRUE(f->save()) << f->messageFor("").toStdString();
    EXPECT_EQ(savedSignals, 1);
    EXPECT_NE(f->requestId(), request) << "the next entry is a new request";
    EXPECT_TRUE(f->amountEdit()->text().isEmpty());
    auto events = stored("payment.received");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].counterpartyId, 12);
    EXPECT_EQ(events[0].amount, (sdk::Money{123456, "PLN"}));
    EXPECT_EQ(events[0].authorId, kMe);
    EXPECT_NE(events[0].body.find("FV/2026/01/17"), std::string::npos);
}

TEST_F(EntryTest, RefusedByTheStoreKeepsTheTextAndSavesOnceOnRetry) {
    auto f = form(EntryKind::CustomerNote, "ru", EntryPreset{7, 7});
    const QString note = QString::fromUtf8("Звонить только после 18:00, спросить Пётра");
    f->textEdit()->setPlainText(note);
    refuseNext = true;
    const auto request = f->requestId();
    EXPECT_FALSE(f->save());
    EXPECT_FALSE(f->messageFor("").isEmpty());
    EXPECT_EQ(f->textEdit()->toPlainText(), note);
    EXPECT_EQ(f->requestId(), request);
    ASSERT_TRUE(f->save());
    auto events = stored("note.customer");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].body, note.toStdString());
    EXPECT_EQ(events[0].projectId, 7);
}

TEST_F(EntryTest, WillBeNotifiedLineFollowsTheEdits) {
    std::vector<crm::Event> asked;
    preview = [&](const crm::Event& e) {
        asked.push_back(e);
        std::vector<RecipientPreview> out;
        if (e.projectId) out.push_back({"Анна Ковальчик", "anna@example.pl", "менеджер проекта"});
        if (e.projectId) out.push_back({"Анна Ковальчик", "anna@example.pl", "менеджер проекта"});  // two rules, one person
        if (e.amount && e.amount->minor >= 1000000) out.push_back({"Księgowość", "finanse@example.pl", "reguła: > 10 000"});
        return out;
    };
    auto f = form(EntryKind::Payment, "ru");
    EXPECT_EQ(f->previewText(), QString::fromUtf8("Будут уведомлены: никто"));
    f->projectPicker()->setSelectedId(3);
    EXPECT_EQ(f->counterpartyPicker()->selectedId(), std::optional<sdk::Id>(3)) << "a project fills in its customer";
    EXPECT_EQ(f->previewText(), QString::fromUtf8("Будут уведомлены: Анна Ковальчик <anna@example.pl> (менеджер проекта)"));
    f->amountEdit()->setText("15 000");
    const auto both = QString::fromUtf8("Будут уведомлены: Анна Ковальчик <anna@example.pl> (менеджер проекта), "
                                        "Księgowość <finanse@example.pl> (reguła: > 10 000)");
    EXPECT_TRUE(QTest::qWaitFor([&] { return f->previewText() == both; }, 5000)) << f->previewText().toStdString();
    ASSERT_FALSE(asked.empty());
    EXPECT_EQ(asked.back().kind, "payment.received");
    EXPECT_EQ(asked.back().counterpartyId, 3);
    EXPECT_EQ(asked.back().authorId, kMe);
}

TEST_F(EntryTest, TypingAsksTheRulesOnceItPausesNotOnEveryKey) {
    int asks = 0;
    preview = [&](const crm::Event& e) {
        ++asks;
        std::vector<RecipientPreview> out;
        if (e.body.find("pilne") != std::string::npos) out.push_back({"Dyspozytor", "dyspozytor@example.pl", "reguła: pilne"});
        return out;
    };
    auto f = form(EntryKind::CustomerNote, "pl");
    f->projectPicker()->setSelectedId(3);
    QTest::qWait(50);
    const int before = asks;
    const QString note = QString::fromUtf8("Klient prosi o pilne oddzwonienie — Łódź, ul. Żeromskiego");
    auto* text = f->findChild<QPlainTextEdit*>();
    ASSERT_NE(text, nullptr);
    for (const QChar c : note) text->insertPlainText(QString(c));  // one character at a time, as typed
    EXPECT_EQ(text->toPlainText(), note);
    EXPECT_EQ(asks, before) << "nothing asked while the keys keep coming";
    ASSERT_TRUE(QTest::qWaitFor([&] { return f->previewText().contains(QString::fromUtf8("Dyspozytor")); },
                                static_cast<int>(EntryForm::kPreviewPause.count()) * 10));
    EXPECT_EQ(asks, before + 1) << note.size() << " keys, one ask";
}

TEST_F(EntryTest, NoPreviewFunctionNoLine) {
    auto f = form(EntryKind::CustomerNote, "en");
    EXPECT_TRUE(f->previewText().isEmpty());
    EXPECT_FALSE(f->findChild<QWidget*>("entryPreview")->isVisible());
}

TEST_F(EntryTest, WorkstationOpensADialogPresetFromTheSelectedEvent) {
    auto e = makeEvent("w1", at(2026, 3, 2));
    e.projectId = 9;
    e.counterpartyId = 9;
    write({e});
    WorkstationContext context{*store, directory};
    context.locale = "pl";
    context.currentUser = *directory.user(kMe);
    context.webEngine = false;
    context.userEvents = &userEvents("pl");
    context.live = live.get();
    DispatcherWorkstation w(std::move(context));
    w.show();
    ASSERT_TRUE(settle(*w.model()));
    ASSERT_TRUE(w.findChild<QWidget*>("newEntry"));
    ASSERT_EQ(w.model()->rowCount(), 1);
    w.table()->selectRow(0);
    QDialog* dialog = w.openEntry(EntryKind::Measurement);
    ASSERT_TRUE(dialog);
    auto* f = dialog->findChild<EntryForm*>();
    ASSERT_TRUE(f);
    EXPECT_EQ(f->projectPicker()->selectedId(), std::optional<sdk::Id>(9));
    f->textEdit()->setPlainText(QString::fromUtf8("Wnęka 2 cm węższa niż w projekcie"));
    ASSERT_TRUE(f->save());
    EXPECT_EQ(stored("note.measurement").size(), 1u);
    ASSERT_TRUE(waitFor([&] { return w.model()->rowCount() == 2; })) << "the saved note shows live";
}

TEST_F(EntryTest, NoUserEventsNoEntryButton) {
    WorkstationContext context{*store, directory};
    context.webEngine = false;
    DispatcherWorkstation w(std::move(context));
    EXPECT_FALSE(w.findChild<QWidget*>("newEntry"));
    EXPECT_EQ(w.openEntry(EntryKind::Payment), nullptr);
    settle(*w.model());
}

}  // namespace
