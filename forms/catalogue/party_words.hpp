// How the catalogue's codes read in the forms: roles, kinds, decision roles, hierarchy levels,
// memorable dates, addresses and duplicate reasons in the reader's language (the forms say them alike).
#pragma once

#include "common/lang.hpp"

#include <conduit/crm/parties/duplicates.hpp>
#include <conduit/crm/parties/employment.hpp>
#include <conduit/crm/parties/memorable_date.hpp>
#include <conduit/crm/parties/party.hpp>

#include <QString>

namespace conduit::forms {

QString partyRolesText(crm::parties::PartyRoles roles, const Lang& lang);  // "klient, partner"
QString partyKindText(crm::parties::PartyKind kind, const Lang& lang);     // "firma", "osoba"
QString decisionRoleText(crm::parties::DecisionRole role, const Lang& lang);  // "" for None
QString levelName(const crm::parties::HierarchyLevel& level, const Lang& lang);
// "Urodziny: 12.05.1984", "День рождения: 03.11"
QString memorableDateText(const crm::parties::MemorableDate& date, const Lang& lang);
// "ul. Długa 5/3, 00-950 Warszawa, PL"
QString addressText(const crm::parties::Address& address);
// Why two parties look like one: "ten sam NIP", "такой же телефон"
QString duplicateReasonText(crm::parties::DuplicateReason reason, const Lang& lang);

}  // namespace conduit::forms
