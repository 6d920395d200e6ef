// The catalogue form with real widgets (offscreen) on a real embedded store: what one types
// narrows the list, kind and role narrow it further, the rights apply, a double click opens the
// party's card, and the words are the reader's.
#include "forms_test_util.hpp"

#include <catalogue/catalogue_list.hpp>

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTest>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;
using namespace conduit::crm::parties;

namespace {

constexpr sdk::Id kSales = kCatalogueSales, kClient = kCatalogueClient;

class CatalogueListTest : public CatalogueFormsTest {
protected:
    void SetUp() override {
        CatalogueFormsTest::SetUp();
        Party okna;
        okna.fullName = "Okna Nowak Sp. z o.o.";
        okna.roles = roleBit(PartyRole::Customer);
        okna.hostId = 7;
        catalogue->applyHostCounterparty(okna);
        Party dealer;
        dealer.fullName = "Salon Okien Lux";
        dealer.roles = roleBit(PartyRole::Partner);
        dealerId = catalogue->create(kSales, dealer).id;
        Party anna;
        anna.kind = PartyKind::Person;
        anna.fullName = "Анна Новак";
        catalogue->create(kSales, anna);
    }
    static QStringList names(CatalogueList& list) {
        QStringList out;
        for (int r = 0; r < list.model()->rowCount(); ++r) out << list.model()->data(list.model()->index(r, 0), Qt::DisplayRole).toString();
        return out;
    }
    static bool settled(CatalogueList& list) {
        const bool idle = waitFor([&] { return !list.model()->loading(); });
        QTest::qWait(20);
        return idle;
    }
    std::int64_t dealerId = 0;
};

TEST_F(CatalogueListTest, TypingNarrowsTheListAndKindAndRoleNarrowItFurther) {
    std::vector<sdk::Id> openedCounterparty;
    std::vector<std::int64_t> openedParty;
    Navigation nav;
    nav.openCounterparty = [&](sdk::Id id) { openedCounterparty.push_back(id); };
    nav.openParty = [&](std::int64_t id) { openedParty.push_back(id); };
    CatalogueList list(*catalogue, kSales, Lang("pl_PL"), nav);
    list.show();
    ASSERT_TRUE(settled(list));
    EXPECT_EQ(list.model()->rowCount(), 3);

    QTest::keyClicks(list.searchBox(), "nowak");
    ASSERT_TRUE(waitFor([&] { return list.model()->rowCount() == 1 && !list.model()->loading(); }));
    EXPECT_EQ(names(list), QStringList{"Okna Nowak Sp. z o.o."});
    list.kindBox()->setCurrentIndex(2);  // people
    ASSERT_TRUE(waitFor([&] { return list.model()->rowCount() == 0 && !list.model()->loading(); }));
    ASSERT_TRUE(settled(list));
    EXPECT_EQ(list.findChild<QLabel*>("catalogueStatus")->text(), "Nic nie znaleziono");
    list.kindBox()->setCurrentIndex(1);  // companies
    ASSERT_TRUE(waitFor([&] { return list.model()->rowCount() == 1 && !list.model()->loading(); }));
    ASSERT_TRUE(settled(list));
    EXPECT_EQ(list.findChild<QLabel*>("catalogueStatus")->text(), "Znaleziono: 1");

    auto* table = list.findChild<QTableView*>("catalogueTable");
    emit table->doubleClicked(list.model()->index(0, 0));
    ASSERT_EQ(openedParty.size(), 1u) << "the catalogue's card, which links the counterparty's";
    EXPECT_EQ(catalogue->get(kSales, openedParty[0])->hostId, 7);
    EXPECT_TRUE(openedCounterparty.empty());

    list.searchBox()->clear();
    list.kindBox()->setCurrentIndex(0);
    list.roleBox()->setCurrentIndex(3);  // partners and dealers
    ASSERT_TRUE(waitFor([&] { return list.model()->rowCount() == 1 && !list.model()->loading(); }));
    EXPECT_EQ(names(list), QStringList{"Salon Okien Lux"});
    emit table->doubleClicked(list.model()->index(0, 0));
    ASSERT_EQ(openedParty.size(), 2u);
    EXPECT_EQ(openedParty[1], dealerId);
    EXPECT_EQ(list.model()->headerData(0, Qt::Horizontal, Qt::DisplayRole).toString(), "Nazwa");
}

TEST_F(CatalogueListTest, AClientsContactSeesNothingAndIsToldSoInRussian) {
    CatalogueList list(*catalogue, kClient, Lang("ru_RU"), {});
    list.show();
    ASSERT_TRUE(settled(list));
    EXPECT_EQ(list.model()->rowCount(), 0);
    EXPECT_EQ(list.findChild<QLabel*>("catalogueStatus")->text(), QString::fromUtf8("Ничего не найдено"));
}

}  // namespace
