// The catalogue's company and person card with real widgets (offscreen) on a real embedded store:
// people by hierarchy level, relations seen from both sides, certifications as expired or valid,
// the host's commercial terms, the party's own timeline, links between cards, rights from the
// core, and every word in the reader's language.
#include "forms_test_util.hpp"

#include <catalogue/party_card.hpp>

#include <conduit/crm/parties/catalogue.hpp>

#include <QLineEdit>
#include <QTextBrowser>
#include <QUrl>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;
using namespace conduit::crm::parties;

namespace {

constexpr sdk::Id kSales = kCatalogueSales, kClient = kCatalogueClient;

sdk::Date date(int y, unsigned m, unsigned d) { return sdk::Date(std::chrono::year(y) / m / d); }

class PartyCardTest : public CatalogueFormsTest {
protected:
    void SetUp() override {
        CatalogueFormsTest::SetUp();
        Party okna;
        okna.fullName = "Okna Nowak Sp. z o.o.";
        okna.roles = roleBit(PartyRole::Customer);
        okna.hostId = 7;
        CommercialTerms terms;
        terms.paymentTermDays = 14;
        terms.discountBasisPoints = 250;
        okna.terms = terms;
        oknaId = catalogue->applyHostCounterparty(okna).party.id;
        Party dealer;
        dealer.fullName = "Salon Okien Lux";
        dealer.roles = roleBit(PartyRole::Partner);
        dealerId = catalogue->create(kSales, dealer).id;
        annaId = person("Anna Nowak", "board", "Prezes", 3);
        piotrId = person("Piotr Zieliński", "specialists", "Monter", -2);
        PartyRelation r;
        r.kind = RelationKind::DealerOf;
        r.fromId = dealerId;
        r.toId = oknaId;
        r.since = date(2025, 3, 1);
        catalogue->addRelation(kSales, r);
        Certification expired;
        expired.partyId = piotrId;
        expired.programme = "Montaż okien PVC";
        expired.issued = date(2020, 1, 10);
        expired.validUntil = date(2022, 1, 10);
        catalogue->addCertification(kSales, expired);
        ASSERT_TRUE(store->writer().flush(10s));
    }
    std::int64_t person(const std::string& name, const std::string& level, const std::string& job, int influence) {
        Party p;
        p.kind = PartyKind::Person;
        p.fullName = name;
        const auto id = catalogue->create(kSales, p).id;
        Employment e;
        e.personId = id;
        e.companyId = oknaId;
        e.levelCode = level;
        e.jobTitle = job;
        e.influence = influence;
        catalogue->addEmployment(kSales, e);
        return id;
    }
    std::unique_ptr<PartyCard> card(const char* lang, sdk::Id user = kSales, Navigation nav = {}) {
        auto c = std::make_unique<PartyCard>(PartyCardContext{*catalogue, *store, *cache, sdk::User{user, "sales", "Sprzedawca", "", 0, "pl"}, nullptr, std::move(nav), {}},
                                             Lang(lang));
        c->show();
        return c;
    }
    bool shown(PartyCard& c, std::int64_t id) {
        QSignalSpy spy(&c, &PartyCard::rendered);
        c.showParty(id);
        return spy.wait(10000);
    }

    std::unique_ptr<DirectoryCache> cache = std::make_unique<DirectoryCache>(directory);
    std::int64_t oknaId = 0, dealerId = 0, annaId = 0, piotrId = 0;
};

TEST_F(PartyCardTest, ACompanysPeopleByLevelRelationsTermsAndTimeline) {
    sdk::Id openedCounterparty = 0;
    Navigation nav;
    nav.openCounterparty = [&](sdk::Id id) { openedCounterparty = id; };
    auto c = card("pl", kSales, nav);
    ASSERT_TRUE(shown(*c, oknaId));
    const QString text = c->view()->toPlainText();
    EXPECT_TRUE(text.contains("Okna Nowak Sp. z o.o.")) << text.toStdString();
    const auto board = text.indexOf(QString::fromUtf8("Zarząd")), specialists = text.indexOf(QString::fromUtf8("Specjaliści"));
    ASSERT_GE(board, 0) << text.toStdString();
    ASSERT_GT(specialists, board) << "the top of the ladder first";
    EXPECT_GT(text.indexOf("Anna Nowak"), board);
    EXPECT_LT(text.indexOf("Anna Nowak"), specialists);
    EXPECT_TRUE(text.contains(QString::fromUtf8("Prezes, wpływ +3")));
    EXPECT_TRUE(text.contains(QString::fromUtf8("Monter, wpływ -2")));
    const auto reader = crm::Locale::of("pl");
    EXPECT_TRUE(text.contains(QString::fromStdString(relationName(RelationKind::DealerOf, false, reader)) + " Salon Okien Lux"))
        << "the dealer seen from the company it sells for";
    EXPECT_TRUE(text.contains(QString::fromUtf8("Termin płatności: 14 dni")));
    EXPECT_TRUE(text.contains("Rabat: 2,50 %") || text.contains("Rabat: 2.50 %")) << text.toStdString();
    EXPECT_TRUE(text.contains(QString::fromUtf8("Ostatnie zdarzenia")));
    EXPECT_FALSE(text.contains(QString::fromUtf8("Jeszcze brak."))) << "its own timeline has the people added to it";

    emit c->view()->anchorClicked(QUrl(QStringLiteral("counterparty:7")));
    EXPECT_EQ(openedCounterparty, 7);
}

TEST_F(PartyCardTest, APersonsCardListsTheirCompanyAndAnExpiredCertificateAsExpired) {
    auto c = card("ru");
    ASSERT_TRUE(shown(*c, oknaId));
    QSignalSpy spy(c.get(), &PartyCard::rendered);
    emit c->view()->anchorClicked(QUrl(QStringLiteral("party:%1").arg(piotrId)));
    ASSERT_TRUE(spy.wait(10000));
    EXPECT_EQ(c->partyId(), piotrId);
    const QString text = c->view()->toPlainText();
    EXPECT_TRUE(text.contains(QString::fromUtf8("Компании"))) << text.toStdString();
    EXPECT_TRUE(text.contains("Okna Nowak"));
    const auto expired = QString::fromStdString(stateName(CertificationState::Expired, crm::Locale::of("ru")));
    EXPECT_TRUE(text.contains(QString::fromUtf8("Montaż okien PVC")));
    EXPECT_TRUE(text.contains(expired)) << text.toStdString();
    EXPECT_TRUE(c->html().contains("class=\"warn\""));
}

TEST_F(PartyCardTest, OpenedWithoutAPartyItShowsTheOneSeenLastElseTheFirstCompany) {
    MemorySettings settings;
    auto started = [&] {
        auto c = std::make_unique<PartyCard>(PartyCardContext{*catalogue, *store, *cache, sdk::User{kSales, "sales", "Sprzedawca", "", 0, "pl"}, nullptr, {}, {}, &settings},
                                             Lang("pl"));
        QSignalSpy spy(c.get(), &PartyCard::rendered);
        c->showStart();
        EXPECT_TRUE(spy.wait(10000));
        return c;
    };
    EXPECT_EQ(started()->partyId(), oknaId) << "the first company by name";
    {
        auto c = started();
        ASSERT_TRUE(shown(*c, annaId));
    }
    EXPECT_EQ(started()->partyId(), annaId) << "the card remembers whom this user saw last";
    EXPECT_EQ(settings.values.at("crm.party.last." + std::to_string(kSales)), std::to_string(annaId));
}

TEST_F(PartyCardTest, TheFindLineShowsTheFirstMatchAndSaysWhenNothingIs) {
    auto c = card("pl");
    QSignalSpy spy(c.get(), &PartyCard::rendered);
    c->findLine()->setText("salon");
    QTest::keyClick(c->findLine(), Qt::Key_Return);
    ASSERT_TRUE(spy.wait(10000));
    EXPECT_EQ(c->partyId(), dealerId);
    EXPECT_TRUE(c->view()->toPlainText().contains(QString::fromUtf8("tylko w CRM")));
    c->findAndShow(QString::fromUtf8("żadnejtakiejfirmy"));
    ASSERT_TRUE(spy.wait(10000));
    EXPECT_TRUE(c->view()->toPlainText().contains(QString::fromUtf8("Nic nie znaleziono")));
}

TEST_F(PartyCardTest, AClientsContactIsShownNothingByTheCore) {
    auto c = std::make_unique<PartyCard>(PartyCardContext{*catalogue, *store, *cache, sdk::User{kClient, "client", "Klient", "", 0, "pl"}, nullptr, {}, {}},
                                         Lang("pl"));
    ASSERT_TRUE(shown(*c, oknaId));
    EXPECT_TRUE(c->view()->toPlainText().contains(QString::fromUtf8("Nie ma takiej firmy ani osoby"))) << c->view()->toPlainText().toStdString();
    EXPECT_FALSE(c->view()->toPlainText().contains("Anna Nowak"));
}

}  // namespace
