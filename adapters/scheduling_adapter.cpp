// Scheduling module -> CRM events: crew assigned, stage planned/rescheduled/started/finished,
// installation planned. Reschedules and installations matter most to a dispatcher.
#include "mapping_support.hpp"

namespace conduit::adapters::detail {

crm::Event mapChange(const sdk::CrewAssigned& p, const MappingContext& c) {
    auto e = baseEvent(p.stamp, crm::kinds::kCrewAssigned, p.projectId, 0, c);
    e.crewId = p.crewId;
    e.crewName = p.crewName;
    e.stage = p.stage;
    e.startDate = p.date;
    return withText(std::move(e), partyFacts(e, c), c);
}

crm::Event mapChange(const sdk::StageEvent& p, const MappingContext& c) {
    static const char* kinds[] = {crm::kinds::kStagePlanned, crm::kinds::kStageRescheduled, crm::kinds::kStageStarted,
                                  crm::kinds::kStageFinished};
    auto e = baseEvent(p.stamp, kinds[static_cast<int>(p.change)], p.projectId, 0, c);
    e.stage = p.stage;
    e.startDate = p.plannedStart;
    e.endDate = p.plannedFinish;
    if (p.change == sdk::StageChange::Planned || p.change == sdk::StageChange::Rescheduled) e.dueAt = dueOn(p.plannedFinish);
    auto f = partyFacts(e, c);
    if (p.change == sdk::StageChange::Rescheduled && p.previousStart) f.set(facts::kPreviousStart, *p.previousStart);
    return withText(std::move(e), f, c);
}

crm::Event mapChange(const sdk::InstallationPlanned& p, const MappingContext& c) {
    auto e = baseEvent(p.stamp, crm::kinds::kInstallationPlanned, p.projectId, 0, c);
    e.crewId = p.crewId;
    e.stage = "installation";
    e.startDate = p.date;
    e.dueAt = dueOn(p.date);
    auto f = partyFacts(e, c);
    if (p.previousDate) f.set(facts::kPreviousDate, *p.previousDate);
    if (auto proj = c.directory.project(p.projectId); proj && !proj->address.empty()) f.set(facts::kAddress, proj->address);
    return withText(std::move(e), f, c);
}

}  // namespace conduit::adapters::detail
