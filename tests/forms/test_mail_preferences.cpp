// The mail preferences form against the real MailPreferences on an embedded store, used as a
// person uses it: a family's delivery chosen and back to the rules, a refusal explained and the
// box put back, follows listed by name and unfollowed through the core, an administrator
// choosing whose mail, and the form registered for anyone signed in.
#include "forms_test_util.hpp"

#include <crm_forms.hpp>
#include <preferences/mail_preferences_form.hpp>

#include <conduit/crm/notify/preferences.hpp>

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;
using crm::notify::Delivery;
using crm::notify::MailFamily;

namespace {

constexpr sdk::Id kAdmin = 7;

class MailPreferencesTest : public FormsTest {
protected:
    void SetUp() override {
        FormsTest::SetUp();
        prefs = std::make_unique<crm::notify::MailPreferences>(store->database(), directory,
                                                                [this](crm::Event e) { return store->writer().submit(std::move(e)); });
        participant = store->writer().addParticipant(&crm::notify::MailPreferences::recordFollows);
        cache = std::make_unique<DirectoryCache>(directory);
    }
    void TearDown() override {
        store->writer().removeParticipant(participant);
        cache.reset();
        prefs.reset();
        FormsTest::TearDown();
    }
    std::unique_ptr<MailPreferencesForm> form(const char* lang, sdk::Id me = kMe, bool choosesOthers = false) {
        auto f = std::make_unique<MailPreferencesForm>(MailPreferencesContext{*prefs, *cache, *directory.user(me), choosesOthers, {}}, Lang(lang));
        f->show();
        return f;
    }
    static void pick(QComboBox* box, std::optional<Delivery> d) { box->setCurrentIndex(box->findData(d ? static_cast<int>(*d) : -1)); }
    std::optional<Delivery> stored(sdk::Id user, MailFamily family) {
        const auto all = prefs->of(user);
        const auto it = all.find(family);
        return it == all.end() ? std::nullopt : std::optional(it->second);
    }

    std::unique_ptr<crm::notify::MailPreferences> prefs;
    std::unique_ptr<DirectoryCache> cache;
    std::uint64_t participant = 0;
};

TEST_F(MailPreferencesTest, AFamilyGoesIntoTheDigestAndBackToTheRules) {
    auto f = form("ru");
    QComboBox* payments = f->deliveryBox(MailFamily::Payments);
    ASSERT_TRUE(payments);
    EXPECT_EQ(payments->currentText(), QString::fromUtf8("Как в правилах"));
    pick(payments, Delivery::Digest);
    EXPECT_EQ(stored(kMe, MailFamily::Payments), std::optional(Delivery::Digest));
    EXPECT_EQ(f->status()->text(), QString::fromUtf8("Сохранено: Платежи — В утренней сводке."));
    pick(f->deliveryBox(MailFamily::Notes), Delivery::Never);
    EXPECT_EQ(stored(kMe, MailFamily::Notes), std::optional(Delivery::Never));

    auto again = form("ru");
    EXPECT_EQ(again->deliveryBox(MailFamily::Payments)->currentData().toInt(), static_cast<int>(Delivery::Digest)) << "as stored";
    EXPECT_EQ(again->deliveryBox(MailFamily::Schedule)->currentData().toInt(), -1);
    pick(again->deliveryBox(MailFamily::Payments), std::nullopt);
    EXPECT_EQ(stored(kMe, MailFamily::Payments), std::nullopt) << "back to what the rules say";
    EXPECT_EQ(stored(kMe, MailFamily::Notes), std::optional(Delivery::Never)) << "the other family untouched";
}

TEST_F(MailPreferencesTest, ARefusalIsExplainedAndTheBoxShowsWhatIsStored) {
    prefs->set(kMe, kMe, MailFamily::Schedule, Delivery::AtOnce);
    prefs->enforce([](sdk::Id, sdk::Id) { return false; });
    auto f = form("pl");
    pick(f->deliveryBox(MailFamily::Schedule), Delivery::Never);
    EXPECT_EQ(f->status()->text(), QString::fromUtf8("Ustawienia poczty innego pracownika może zmieniać tylko administrator"));
    EXPECT_EQ(f->deliveryBox(MailFamily::Schedule)->currentData().toInt(), static_cast<int>(Delivery::AtOnce));
    EXPECT_EQ(stored(kMe, MailFamily::Schedule), std::optional(Delivery::AtOnce)) << "nothing written";
}

TEST_F(MailPreferencesTest, FollowsAreListedByNameAndUnfollowedThroughTheCore) {
    prefs->follow(kMe, kMe, crm::projectSubject(10), true);
    prefs->follow(kMe, kMe, crm::counterpartySubject(11), false);
    ASSERT_TRUE(store->writer().flush(10s));
    auto f = form("pl");
    QTableWidget* t = f->followsTable();
    ASSERT_EQ(t->rowCount(), 2);
    int projectRow = -1;
    for (int r = 0; r < 2; ++r)
        if (t->item(r, 0)->text().contains("P-2026-0010")) projectRow = r;
    ASSERT_GE(projectRow, 0) << t->item(0, 0)->text().toStdString();
    EXPECT_TRUE(t->item(projectRow, 0)->text().startsWith(QString::fromUtf8("Projekt ")));
    EXPECT_TRUE(t->item(1 - projectRow, 0)->text().contains(QString::fromUtf8("Kontrahent АО «Северный» #11")));
    EXPECT_EQ(t->item(projectRow, 1)->text(), QString::fromUtf8("obserwowane: w podsumowaniu"));
    EXPECT_FALSE(t->item(projectRow, 2)->text().isEmpty()) << "since when";

    EXPECT_FALSE(f->followToggle()->isEnabled()) << "nothing selected";
    t->selectRow(projectRow);
    EXPECT_EQ(f->followToggle()->text(), QString::fromUtf8("Przestań obserwować"));
    f->followToggle()->click();
    EXPECT_EQ(t->item(projectRow, 1)->text(), QString::fromUtf8("nieobserwowane: tylko pilne"));
    EXPECT_EQ(f->followToggle()->text(), QString::fromUtf8("Obserwuj ponownie"));
    ASSERT_TRUE(store->writer().flush(10s));
    EXPECT_EQ(prefs->following(kMe, crm::projectSubject(10)), std::optional(false));

    t->selectRow(1 - projectRow);
    f->followToggle()->click();
    ASSERT_TRUE(store->writer().flush(10s));
    EXPECT_EQ(prefs->following(kMe, crm::counterpartySubject(11)), std::optional(true));
}

TEST_F(MailPreferencesTest, AnAdministratorChoosesWhoseMail) {
    prefs->set(kAdmin, 3, MailFamily::Warehouse, Delivery::Never);
    auto own = form("pl");
    EXPECT_EQ(own->userBox(), nullptr) << "a colleague sees their own only";
    auto f = form("pl", kAdmin, true);
    ASSERT_TRUE(f->userBox());
    EXPECT_EQ(f->shownUser(), kAdmin);
    EXPECT_EQ(f->deliveryBox(MailFamily::Warehouse)->currentData().toInt(), -1);
    f->userBox()->setCurrentIndex(f->userBox()->findData(QVariant::fromValue<qlonglong>(3)));
    EXPECT_EQ(f->shownUser(), 3);
    EXPECT_EQ(f->deliveryBox(MailFamily::Warehouse)->currentData().toInt(), static_cast<int>(Delivery::Never));
    pick(f->deliveryBox(MailFamily::Payments), Delivery::Digest);
    EXPECT_EQ(stored(3, MailFamily::Payments), std::optional(Delivery::Digest));
    EXPECT_EQ(stored(kAdmin, MailFamily::Payments), std::nullopt);
}

TEST_F(MailPreferencesTest, RegisteredForAnyoneSignedInWithPreferences) {
    MemorySettings settings;
    auto registered = [&](crm::notify::MailPreferences* p, sdk::Id user) {
        ListRegistry registry;
        CrmFormsContext context{*store, directory, settings};
        context.preferences = p;
        if (user) context.currentUser = *directory.user(user);
        registerCrmForms(registry, context);
        unregisterCrmForms(registry);
        return registry.has(kMailPreferencesId);
    };
    EXPECT_TRUE(registered(prefs.get(), kMe));
    EXPECT_FALSE(registered(nullptr, kMe));
    EXPECT_FALSE(registered(prefs.get(), 0)) << "nobody signed in";
}

}  // namespace
