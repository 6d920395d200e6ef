// The import wizard with real widgets (offscreen) on a real embedded catalogue: a file read as what
// it is with its encoding and columns shown, the check row by row in the reader's language, the
// import, its undo, and what cannot be read said in the user's language.
#include "forms_test_util.hpp"

#include <exchange/import_wizard.hpp>

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTreeWidget>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;

namespace {

const QString kFixtures = QStringLiteral(CONDUIT_SOURCE_DIR "/tests/exchange/fixtures/");

class ImportWizardTest : public CatalogueFormsTest {
protected:
    std::unique_ptr<ImportWizard> wizard(const char* lang = "pl") {
        return std::make_unique<ImportWizard>(ImportWizardContext{*catalogue, kCatalogueSales}, Lang(lang));
    }
    // Runs a step and waits until the wizard has shown its outcome.
    template <typename F>
    void step(ImportWizard& w, F&& f) {
        QSignalSpy spy(&w, &ImportWizard::stepDone);
        f();
        ASSERT_TRUE(spy.wait(20000));
    }
    std::size_t people() {
        crm::parties::CatalogueFilter f;
        f.kind = crm::parties::PartyKind::Person;
        return catalogue->find(kCatalogueSales, f).rows.size();
    }
};

TEST_F(ImportWizardTest, AnOutlookFileInItsCodePageIsReadCheckedImportedAndUndone) {
    auto w = wizard();
    step(*w, [&] { w->chooseFile(kFixtures + "csv/outlook_pl_cp1250.csv"); });
    EXPECT_TRUE(w->readStatus()->text().contains("windows-1250")) << w->readStatus()->text().toStdString();
    EXPECT_TRUE(w->readStatus()->text().startsWith("Kontaktów: 3")) << w->readStatus()->text().toStdString();
    EXPECT_EQ(w->preset()->currentData().toString(), "outlook-pl");
    ASSERT_GT(w->columns()->rowCount(), 5);
    bool given = false;
    for (int row = 0; row < w->columns()->rowCount(); ++row) given = given || w->columns()->item(row, 0)->text() == QString::fromUtf8("Imię");
    EXPECT_TRUE(given) << "the header as the file writes it, decoded";

    step(*w, [&] { w->check(); });
    EXPECT_EQ(w->report()->topLevelItemCount(), 3);
    EXPECT_TRUE(w->report()->topLevelItem(0)->text(2).contains(QString::fromUtf8("zostanie utworzony")))
        << w->report()->topLevelItem(0)->text(2).toStdString();
    EXPECT_TRUE(w->checkStatus()->text().startsWith("Utworzono: 3")) << w->checkStatus()->text().toStdString();
    EXPECT_EQ(people(), 0u) << "the check writes nothing";

    step(*w, [&] { w->runImport(); });
    EXPECT_EQ(people(), 3u);
    EXPECT_TRUE(w->importStatus()->text().contains("wczytanie nr")) << w->importStatus()->text().toStdString();
    ASSERT_TRUE(w->undoButton()->isEnabled());

    step(*w, [&] { w->undo(); });
    EXPECT_EQ(people(), 0u);
    EXPECT_TRUE(w->importStatus()->text().startsWith(QString::fromUtf8("Import cofnięty: usunięto"))) << w->importStatus()->text().toStdString();
    EXPECT_FALSE(w->undoButton()->isEnabled());
}

TEST_F(ImportWizardTest, AnotherEncodingChosenReadsTheFileAgainAndAColumnCanBeRemapped) {
    auto w = wizard("en");
    step(*w, [&] { w->chooseFile(kFixtures + "csv/outlook_ru_cp1251.csv"); });
    EXPECT_TRUE(w->readStatus()->text().contains("windows-1251")) << w->readStatus()->text().toStdString();
    step(*w, [&] { w->chooseEncoding(w->encoding()->findData(QString("windows-1250"))); });
    EXPECT_TRUE(w->readStatus()->text().contains("windows-1250"));
    step(*w, [&] { w->chooseEncoding(0); });  // found from the file again
    EXPECT_TRUE(w->readStatus()->text().contains("windows-1251"));
    // Every column ignored but the e-mail: the contacts are still read, named by their mailbox.
    for (int row = 0; row < w->columns()->rowCount(); ++row) {
        auto* combo = qobject_cast<QComboBox*>(w->columns()->cellWidget(row, 1));
        ASSERT_TRUE(combo);
        if (combo->currentData().toInt() != static_cast<int>(crm::exchange::ContactField::Email))
            combo->setCurrentIndex(combo->findData(static_cast<int>(crm::exchange::ContactField::Ignore)));
    }
    step(*w, [&] { w->readSource(); });
    step(*w, [&] { w->check(); });
    ASSERT_GT(w->report()->topLevelItemCount(), 0);
    EXPECT_TRUE(w->report()->topLevelItem(0)->text(1).contains(QChar(0x40))) << w->report()->topLevelItem(0)->text(1).toStdString() << " / " << w->readStatus()->text().toStdString();
}

TEST_F(ImportWizardTest, AnUnreachableDirectoryAndAMissingFileAreToldInTheUsersLanguage) {
    auto w = wizard("ru");
    w->sourceTabs()->setCurrentIndex(1);
    w->ldapUrl()->setText("ldap://127.0.0.1:1/dc=example,dc=com");
    step(*w, [&] { w->readSource(); });
    EXPECT_TRUE(w->readStatus()->text().contains(QString::fromUtf8("каталог LDAP недоступен"))) << w->readStatus()->text().toStdString();
    w->chooseFile(kFixtures + "nie-ma-takiego.vcf");
    EXPECT_TRUE(w->readStatus()->text().startsWith(QString::fromUtf8("Не удаётся прочитать")));
    w->check();
    EXPECT_EQ(w->checkStatus()->text(), QString::fromUtf8("Сначала прочитайте контакты."));
}

}  // namespace
