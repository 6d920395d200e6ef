// Entry dialogs: bad input is refused next to its field in the user's language and stores
// nothing; valid input stores exactly one event; the "Will be notified" line follows the edits.
#include "forms_test_util.hpp"

#include <dispatcher/dispatcher_workstation.hpp>
#include <common/event_look.hpp>
#include <common/party_picker.hpp>
#include <entry/entry_form.hpp>
#include <feed/feed_model.hpp>

#include <conduit/crm/entries/user_events.hpp>

#include <QComboBox>
#include <QDialog>
#include <QLineEdit>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPointer>
#include <QFileInfo>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>

#include <QStandardPaths>
#include <QTimer>

#include <filesystem>
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
    EXPECT_EQ(parseAmount("-5"), -500) << "a number: the core says it must be above zero";
    EXPECT_EQ(parseAmount(QString::fromUtf8("\u22121 234,50")), -123450);
    EXPECT_FALSE(parseAmount("--5"));
    EXPECT_FALSE(parseAmount("-"));
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
    // A project of another customer cannot be left chosen: the list follows the counterparty.
    f->counterpartyPicker()->setSelectedId(10);
    f->projectPicker()->setSelectedId(11);
    EXPECT_EQ(f->counterpartyPicker()->selectedId(), std::optional<sdk::Id>(11)) << "a project fills in its customer";
    f->counterpartyPicker()->setSelectedId(10);
    EXPECT_EQ(f->projectPicker()->selectedId(), std::nullopt);
    EXPECT_EQ(f->projectPicker()->matches({}), (std::vector<sdk::Id>{10}));
    EXPECT_TRUE(stored("payment.received").empty());
}

TEST_F(EntryTest, MeasurementRefusesInPolish) {
    auto f = form(EntryKind::Measurement, "pl");
    f->textEdit()->setPlainText(QString::fromUtf8("Montaż od strony podwórza, żółte ramy"));
    EXPECT_FALSE(f->save());
    EXPECT_EQ(f->messageFor("project"), QString::fromUtf8("Wybierz projekt"));
    f->projectPicker()->setSelectedId(4);
    EXPECT_TRUE(f->messageFor("project").isEmpty()) << "fixed: the message goes";
    f->addSheetFile(QString::fromStdString((dir / "missing.pdf").string()));
    EXPECT_TRUE(f->messageFor("attachment").startsWith(QString::fromUtf8("Nie można odczytać pliku")));
    EXPECT_EQ(f->sheetList()->count(), 0);
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
    EXPECT_EQ(f->previewText(), QString::fromUtf8("Будут уведомлены: Анна Ковальчик (менеджер проекта)"));
    f->amountEdit()->setText("15 000");
    const auto both = QString::fromUtf8("Будут уведомлены: Анна Ковальчик, Księgowość (менеджер проекта, …)");
    EXPECT_TRUE(QTest::qWaitFor([&] { return f->previewText() == both; }, 5000)) << f->previewText().toStdString();
    EXPECT_EQ(f->previewDetails(), QString::fromUtf8("Анна Ковальчик <anna@example.pl> — менеджер проекта\n"
                                                     "Księgowość <finanse@example.pl> — reguła: > 10 000"));
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

// ---- what people met in their first hour with the entry dialogs

TEST_F(EntryTest, SavingSaysWhatWasSaved) {
    auto f = form(EntryKind::Payment, "pl", EntryPreset{12, 0});
    EXPECT_TRUE(f->confirmationText().isEmpty());
    f->amountEdit()->setText("250");
    ASSERT_TRUE(f->save());
    EXPECT_TRUE(f->confirmationText().startsWith(QString::fromUtf8("Zapisano: "))) << f->confirmationText().toStdString();
    EXPECT_TRUE(f->confirmationText().contains(QString::fromUtf8("250,00"))) << f->confirmationText().toStdString();
    f->amountEdit()->setText("1");
    EXPECT_TRUE(f->confirmationText().isEmpty()) << "the next entry has begun";

    // A dialog closes once saved and leaves the notice on the window it was opened from.
    QWidget window;
    window.resize(800, 600);
    window.show();
    EntryContext context{userEvents("ru"), *cache, Lang("ru"), *directory.user(kMe), {}};
    QPointer<QDialog> dialog = openEntryDialog(EntryKind::CustomerNote, std::move(context), EntryPreset{12, 12}, &window);
    auto* note = dialog->findChild<EntryForm*>();
    note->textEdit()->setPlainText(QString::fromUtf8("Просит звонить после 18:00"));
    ASSERT_TRUE(note->save());
    ASSERT_TRUE(waitFor([&] { return dialog.isNull(); }));
    auto* notice = window.findChild<QLabel*>("savedNotice");
    ASSERT_TRUE(notice);
    EXPECT_TRUE(notice->isVisible());
    EXPECT_TRUE(notice->text().startsWith(QString::fromUtf8("Сохранено: "))) << notice->text().toStdString();
    EXPECT_TRUE(notice->text().contains(QString::fromUtf8("Просит звонить после 18:00")));
}

TEST_F(EntryTest, AMessageGoesOnceItsFieldIsFixed) {
    auto f = form(EntryKind::Payment, "en");
    EXPECT_FALSE(f->save());
    EXPECT_EQ(f->messageFor("amount"), QStringLiteral("Enter the amount"));
    EXPECT_EQ(f->messageFor("counterparty"), QStringLiteral("Choose the counterparty"));
    f->amountEdit()->setText("100");
    EXPECT_TRUE(f->messageFor("amount").isEmpty());
    EXPECT_FALSE(f->messageFor("counterparty").isEmpty()) << "not fixed yet";
    f->counterpartyPicker()->setSelectedId(12);
    EXPECT_TRUE(f->messageFor("counterparty").isEmpty());
}

TEST_F(EntryTest, MinusHundredMustBeGreaterThanZero) {
    for (const auto& [locale, message] : {std::pair{"pl", "Kwota musi być większa od zera"}, std::pair{"ru", "Сумма должна быть больше нуля"},
                                          std::pair{"en", "The amount must be greater than zero"}}) {
        auto f = form(EntryKind::Payment, locale, EntryPreset{12, 0});
        f->amountEdit()->setText("-100");
        EXPECT_FALSE(f->save());
        EXPECT_EQ(f->messageFor("amount"), QString::fromUtf8(message)) << locale;
    }
    EXPECT_TRUE(stored("payment.received").empty());
}

// Answers the question the form asks with the button named `button`; records what it asked.
void answerDiscardQuestion(const char* button, QString* asked) {
    QTimer::singleShot(0, [button, asked] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box) return;
        *asked = box->text();
        if (auto* b = box->findChild<QAbstractButton*>(button)) b->click();
    });
}

TEST_F(EntryTest, CancelAsksBeforeDroppingTypedText) {
    auto f = form(EntryKind::CustomerNote, "pl", EntryPreset{12, 0});
    int cancelled = 0;
    QObject::connect(f.get(), &EntryForm::cancelled, [&] { ++cancelled; });
    f->textEdit()->setPlainText(QString::fromUtf8("Klient woli kontakt mailowy"));
    QString asked;
    answerDiscardQuestion("keepEditing", &asked);
    EXPECT_FALSE(f->cancel());
    EXPECT_EQ(asked, QString::fromUtf8("Odrzucić to, co wpisano?"));
    EXPECT_EQ(cancelled, 0);
    EXPECT_EQ(f->textEdit()->toPlainText(), QString::fromUtf8("Klient woli kontakt mailowy"));
    answerDiscardQuestion("discard", &asked);
    EXPECT_TRUE(f->cancel());
    EXPECT_EQ(cancelled, 1);

    // Nothing typed: nothing to ask.
    auto empty = form(EntryKind::CustomerNote, "pl", EntryPreset{12, 0});
    asked.clear();
    EXPECT_TRUE(empty->cancel());
    EXPECT_TRUE(asked.isEmpty());

    // Esc in the dialog asks the same question.
    QWidget window;
    window.show();
    QPointer<QDialog> dialog =
        openEntryDialog(EntryKind::CustomerNote, EntryContext{userEvents("pl"), *cache, Lang("pl"), *directory.user(kMe), {}}, {12, 0}, &window);
    dialog->findChild<EntryForm*>()->textEdit()->setPlainText(QStringLiteral("x"));
    answerDiscardQuestion("keepEditing", &asked);
    dialog->reject();
    EXPECT_FALSE(dialog.isNull());
    EXPECT_TRUE(dialog->isVisible());
    answerDiscardQuestion("discard", &asked);
    dialog->reject();
    ASSERT_TRUE(waitFor([&] { return dialog.isNull(); }));
}

TEST_F(EntryTest, AFakePdfIsRefusedWhenAddedAndSaysWhy) {
    const auto fake = dir / "arkusz.pdf";  // the name says PDF, the bytes do not
    std::ofstream(fake) << "just text";
    const auto doc = dir / "notatki.docx";
    std::ofstream(doc) << "PK\x03\x04 word";
    const auto real = dir / "pomiar.pdf";
    std::ofstream(real) << "%PDF-1.4\n" << std::string(700, 'x');
    const auto empty = dir / "pusty.pdf";
    std::ofstream(empty).flush();

    auto ru = form(EntryKind::Measurement, "ru", EntryPreset{0, 4});
    EXPECT_FALSE(ru->addSheetFile(QString::fromStdString(fake.string())));
    EXPECT_EQ(ru->sheetList()->count(), 0) << "not in the list";
    EXPECT_TRUE(ru->messageFor("attachment").startsWith(QString::fromUtf8("«arkusz.pdf» — на самом деле не PDF")))
        << ru->messageFor("attachment").toStdString();

    auto pl = form(EntryKind::Measurement, "pl", EntryPreset{0, 4});
    EXPECT_FALSE(pl->addSheetFile(QString::fromStdString(fake.string())));
    EXPECT_TRUE(pl->messageFor("attachment").startsWith(QString::fromUtf8("„arkusz.pdf” nie jest naprawdę plikiem PDF")));
    EXPECT_FALSE(pl->addSheetFile(QString::fromStdString(doc.string())));
    EXPECT_TRUE(pl->messageFor("attachment").contains(QString::fromUtf8("przyjmowane są tylko pliki PDF, JPEG, PNG i TIFF")));
    EXPECT_FALSE(pl->addSheetFile(QString::fromStdString(empty.string())));
    EXPECT_EQ(pl->messageFor("attachment"), QString::fromUtf8("„pusty.pdf” jest pusty"));
    ASSERT_TRUE(pl->addSheetFile(QString::fromStdString(real.string())));
    EXPECT_TRUE(pl->messageFor("attachment").isEmpty()) << "a good file clears the old reason";
    ASSERT_EQ(pl->sheetList()->count(), 1);
    EXPECT_EQ(pl->sheetList()->item(0)->text(), QStringLiteral("pomiar.pdf (") + formatSize(709) + QStringLiteral(")"));
    ASSERT_TRUE(pl->save());
    EXPECT_EQ(stored("note.measurement").size(), 1u);
}

TEST_F(EntryTest, TheSheetChooserStartsWhereTheLastSheetCameFrom) {
    const auto folder = dir / "skany";
    std::filesystem::create_directories(folder);
    const auto sheet = folder / "pomiar.png";
    std::ofstream(sheet) << "\x89PNG\r\n\x1A\n" << std::string(10, '\0');
    auto f = form(EntryKind::Measurement, "pl", EntryPreset{0, 4});
    ASSERT_TRUE(f->addSheetFile(QString::fromStdString(sheet.string())));
    EXPECT_EQ(sheetFolder(), QString::fromStdString(folder.string())) << "for this form and the next ones";
    std::filesystem::remove_all(folder);
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString home = QStandardPaths::writableLocation(QStandardPaths::HomeLocation);
    EXPECT_EQ(sheetFolder(), QFileInfo(documents).isDir() ? documents : home) << "the user's documents, never the program's folder";
}

TEST_F(EntryTest, WillBeNotifiedIsOneShortLineInTheReadersLanguage) {
    preview = [](const crm::Event&) {
        std::vector<RecipientPreview> out;
        for (const char* who : {"Anna Kowalczyk", "Jan Nowak", "Piotr Zieliński", "Maria Wójcik", "Księgowość", "Ewa Lis", "Olga Kruk", "Adam Mróz"})
            out.push_back({who, std::string("user") + std::to_string(out.size()) + "@example.pl", "Payments: project manager and finance"});
        out.push_back({"Anna Kowalczyk", "user0@example.pl", "Prepayment required: finance and project manager"});
        return out;
    };
    auto f = form(EntryKind::Payment, "pl", EntryPreset{12, 0});
    const QString line = f->previewText();
    EXPECT_EQ(line, QString::fromUtf8("Zostaną powiadomieni: Anna Kowalczyk, Jan Nowak, Piotr Zieliński i jeszcze 5 "
                                      "(Płatności: kierownik projektu i księgowość, …)"));
    EXPECT_FALSE(line.contains(QChar('@')));
    EXPECT_FALSE(line.contains(QChar('\n')));
    const QString all = f->previewDetails();
    EXPECT_EQ(all.count(QChar('\n')), 7) << "everyone in the tooltip, one line each";
    EXPECT_TRUE(all.startsWith(QString::fromUtf8("Anna Kowalczyk <user0@example.pl> — Płatności: kierownik projektu i księgowość; "
                                                 "Wymagana przedpłata: księgowość i kierownik projektu")));
    EXPECT_TRUE(all.contains(QStringLiteral("Adam Mróz <user7@example.pl>")));
}

}  // namespace
