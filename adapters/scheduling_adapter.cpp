// Scheduling module -> CRM events: crew assigned, stage planned/rescheduled/started/finished,
// installation planned. Reschedules and installations matter most to a dispatcher.
#include "mapping_support.hpp"

namespace conduit::adapters::detail {

crm::Event mapChange(const sdk::CrewAssigned& p, const MappingContext& c) {
    auto e = baseEvent(p.stamp, "schedule.crew_assigned", p.projectId, 0, c);
    e.title = say(c, {"Бригада «{}» назначена: {}, {}", "Ekipa „{}” przydzielona: {}, {}", "Crew “{}” assigned: {}, {}"},
                  p.crewName, stageName(p.stage, c), formatDate(p.date));
    e.body = projectLabel(p.projectId, c);
    e.crewId = p.crewId;
    e.crewName = p.crewName;
    e.stage = p.stage;
    e.startDate = p.date;
    return e;
}

crm::Event mapChange(const sdk::StageEvent& p, const MappingContext& c) {
    static const char* kinds[] = {"schedule.stage_planned", "schedule.stage_rescheduled", "schedule.stage_started",
                                  "schedule.stage_finished"};
    auto e = baseEvent(p.stamp, kinds[static_cast<int>(p.change)], p.projectId, 0, c);
    const auto stage = stageName(p.stage, c);
    const auto from = formatDate(p.plannedStart), to = formatDate(p.plannedFinish);
    switch (p.change) {
    case sdk::StageChange::Planned:
        e.title = say(c, {"Этап «{}» запланирован: {} – {}", "Etap „{}” zaplanowany: {} – {}", "Stage “{}” planned: {} – {}"},
                      stage, from, to);
        e.dueAt = dueOn(p.plannedFinish);
        break;
    case sdk::StageChange::Rescheduled:
        e.title = say(c, {"Этап «{}» перенесён на {} – {}", "Etap „{}” przełożony na {} – {}",
                          "Stage “{}” rescheduled to {} – {}"},
                      stage, from, to);
        if (p.previousStart)
            e.body = say(c, {"Было: начало {}.", "Poprzednio: początek {}.", "Previously: start {}."},
                         formatDate(*p.previousStart));
        e.dueAt = dueOn(p.plannedFinish);
        break;
    case sdk::StageChange::Started:
        e.title = say(c, {"Этап «{}» начат", "Etap „{}” rozpoczęty", "Stage “{}” started"}, stage);
        break;
    case sdk::StageChange::Finished:
        e.title = say(c, {"Этап «{}» завершён", "Etap „{}” zakończony", "Stage “{}” finished"}, stage);
        break;
    }
    const auto project = projectLabel(p.projectId, c);
    e.body = e.body.empty() ? project : project + ". " + e.body;
    e.stage = p.stage;
    e.startDate = p.plannedStart;
    e.endDate = p.plannedFinish;
    return e;
}

crm::Event mapChange(const sdk::InstallationPlanned& p, const MappingContext& c) {
    auto e = baseEvent(p.stamp, "schedule.installation_planned", p.projectId, 0, c);
    e.title = p.previousDate
                  ? say(c, {"Монтаж перенесён с {} на {}", "Montaż przełożony z {} na {}", "Installation moved from {} to {}"},
                        formatDate(*p.previousDate), formatDate(p.date))
                  : say(c, {"Монтаж запланирован на {}", "Montaż zaplanowany na {}", "Installation planned for {}"},
                        formatDate(p.date));
    e.body = projectLabel(p.projectId, c);
    if (auto proj = c.directory.project(p.projectId); proj && !proj->address.empty()) e.body += ". " + proj->address;
    e.crewId = p.crewId;
    e.stage = "installation";
    e.startDate = p.date;
    e.dueAt = dueOn(p.date);
    return e;
}

}  // namespace conduit::adapters::detail
