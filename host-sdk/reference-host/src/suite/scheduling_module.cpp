#include "scheduling_module.hpp"

#include "module_support.hpp"

#include <stdexcept>

namespace refhost {
namespace {

constexpr const char* kModule = "scheduling";

std::string stageEntity(sdk::Id projectId, const std::string& stage) {
    return "project:" + std::to_string(projectId) + "/stage:" + stage;
}

const char* changeName(sdk::StageChange c) {
    switch (c) {
    case sdk::StageChange::Planned: return "stage_planned";
    case sdk::StageChange::Rescheduled: return "stage_rescheduled";
    case sdk::StageChange::Started: return "stage_started";
    case sdk::StageChange::Finished: return "stage_finished";
    }
    return "stage_planned";
}

struct StageRow {
    sdk::Date start{}, finish{};
    std::string status;
};

StageRow stageRow(soci::session& sql, sdk::Id projectId, const std::string& stage) {
    long long project = projectId;
    std::tm start{}, finish{};
    StageRow row;
    soci::indicator ind = soci::i_null;
    sql << "SELECT PLANNED_START, PLANNED_FINISH, STATUS FROM HOST_STAGES WHERE PROJECT_ID = :p AND STAGE = :s",
        soci::use(project), soci::use(stage), soci::into(start, ind), soci::into(finish), soci::into(row.status);
    if (ind != soci::i_ok)
        throw std::invalid_argument("scheduling: project " + std::to_string(projectId) + " has no stage " + stage);
    row.start = dateFromTm(start);
    row.finish = dateFromTm(finish);
    return row;
}

}  // namespace

sdk::StageEvent SchedulingModule::logStage(HostTransaction& tx, sdk::StageChange change, sdk::Id projectId,
                                           const std::string& stage, sdk::Date start, sdk::Date finish,
                                           std::optional<sdk::Date> previousStart, const Actor& by) {
    sdk::StageEvent e;
    e.change = change;
    e.projectId = projectId;
    e.stage = stage;
    e.plannedStart = start;
    e.plannedFinish = finish;
    e.previousStart = previousStart;
    e.stamp = appendChange(tx.sql(), kModule, changeName(change), stageEntity(projectId, stage), by,
                           {{"projectId", projectId}, {"stage", stage}, {"plannedStart", dateJson(start)},
                            {"plannedFinish", dateJson(finish)}, {"previousStart", optionalDateJson(previousStart)}});
    tx.onCommit([this, e] { stageChanged(e); });
    return e;
}

sdk::CrewAssigned SchedulingModule::assignCrew(HostTransaction& tx, sdk::Id projectId, sdk::Id crewId,
                                               const std::string& stage, sdk::Date date, const Actor& by) {
    auto& sql = tx.sql();
    long long crew = crewId, project = projectId;
    std::string crewName;
    soci::indicator ind = soci::i_null;
    sql << "SELECT NAME FROM HOST_CREWS WHERE ID = :id", soci::use(crew), soci::into(crewName, ind);
    if (ind != soci::i_ok) throw std::invalid_argument("scheduling: no crew " + std::to_string(crewId));
    long long id = nextId(sql, HostTable::CrewAssignments);
    std::tm day = toTm(date);
    sql << "INSERT INTO HOST_CREW_ASSIGNMENTS (ID, PROJECT_ID, CREW_ID, STAGE, WORK_DATE) VALUES (:id, :p, :c, :s, :d)",
        soci::use(id), soci::use(project), soci::use(crew), soci::use(stage), soci::use(day);
    sdk::CrewAssigned p;
    p.projectId = projectId;
    p.crewId = crewId;
    p.crewName = crewName;
    p.stage = stage;
    p.date = date;
    p.stamp = appendChange(sql, kModule, "crew_assigned", "project:" + std::to_string(projectId) + "/crew:" + stage, by,
                           {{"projectId", projectId}, {"crewId", crewId}, {"crewName", crewName}, {"stage", stage},
                            {"date", dateJson(date)}});
    tx.onCommit([this, p] { crewAssigned(p); });
    return p;
}

sdk::StageEvent SchedulingModule::planStage(HostTransaction& tx, sdk::Id projectId, const std::string& stage,
                                            sdk::Date start, sdk::Date finish, const Actor& by) {
    long long project = projectId;
    std::tm s = toTm(start), f = toTm(finish);
    std::string status = "planned";
    tx.sql() << "UPDATE OR INSERT INTO HOST_STAGES (PROJECT_ID, STAGE, PLANNED_START, PLANNED_FINISH, STATUS) "
                "VALUES (:p, :s, :ps, :pf, :st) MATCHING (PROJECT_ID, STAGE)",
        soci::use(project), soci::use(stage), soci::use(s), soci::use(f), soci::use(status);
    return logStage(tx, sdk::StageChange::Planned, projectId, stage, start, finish, std::nullopt, by);
}

sdk::StageEvent SchedulingModule::rescheduleStage(HostTransaction& tx, sdk::Id projectId, const std::string& stage,
                                                  sdk::Date newStart, sdk::Date newFinish, const Actor& by) {
    const auto before = stageRow(tx.sql(), projectId, stage);
    long long project = projectId;
    std::tm s = toTm(newStart), f = toTm(newFinish);
    tx.sql() << "UPDATE HOST_STAGES SET PLANNED_START = :ps, PLANNED_FINISH = :pf WHERE PROJECT_ID = :p AND STAGE = :s",
        soci::use(s), soci::use(f), soci::use(project), soci::use(stage);
    return logStage(tx, sdk::StageChange::Rescheduled, projectId, stage, newStart, newFinish, before.start, by);
}

sdk::StageEvent SchedulingModule::startStage(HostTransaction& tx, sdk::Id projectId, const std::string& stage,
                                             const Actor& by) {
    const auto row = stageRow(tx.sql(), projectId, stage);
    long long project = projectId;
    std::tm at = toTm(by.at);
    std::string status = "started";
    tx.sql() << "UPDATE HOST_STAGES SET STATUS = :st, STARTED_AT = :at WHERE PROJECT_ID = :p AND STAGE = :s",
        soci::use(status), soci::use(at), soci::use(project), soci::use(stage);
    return logStage(tx, sdk::StageChange::Started, projectId, stage, row.start, row.finish, std::nullopt, by);
}

sdk::StageEvent SchedulingModule::finishStage(HostTransaction& tx, sdk::Id projectId, const std::string& stage,
                                              const Actor& by) {
    const auto row = stageRow(tx.sql(), projectId, stage);
    long long project = projectId;
    std::tm at = toTm(by.at);
    std::string status = "finished";
    tx.sql() << "UPDATE HOST_STAGES SET STATUS = :st, FINISHED_AT = :at WHERE PROJECT_ID = :p AND STAGE = :s",
        soci::use(status), soci::use(at), soci::use(project), soci::use(stage);
    return logStage(tx, sdk::StageChange::Finished, projectId, stage, row.start, row.finish, std::nullopt, by);
}

sdk::InstallationPlanned SchedulingModule::planInstallation(HostTransaction& tx, sdk::Id projectId, sdk::Id crewId,
                                                            sdk::Date date, const Actor& by) {
    auto& sql = tx.sql();
    long long project = projectId, crew = crewId;
    std::tm previous{};
    soci::indicator ind = soci::i_null;
    sql << "SELECT INSTALL_DATE FROM HOST_INSTALLATIONS WHERE PROJECT_ID = :p", soci::use(project),
        soci::into(previous, ind);
    std::tm day = toTm(date);
    sql << "UPDATE OR INSERT INTO HOST_INSTALLATIONS (PROJECT_ID, CREW_ID, INSTALL_DATE) VALUES (:p, :c, :d) "
           "MATCHING (PROJECT_ID)",
        soci::use(project), soci::use(crew), soci::use(day);
    sdk::InstallationPlanned p;
    p.projectId = projectId;
    p.crewId = crewId;
    p.date = date;
    if (ind == soci::i_ok) p.previousDate = dateFromTm(previous);
    p.stamp = appendChange(sql, kModule, "installation_planned", "project:" + std::to_string(projectId) + "/installation",
                           by,
                           {{"projectId", projectId}, {"crewId", crewId}, {"date", dateJson(date)},
                            {"previousDate", optionalDateJson(p.previousDate)}});
    tx.onCommit([this, p] { installationPlanned(p); });
    return p;
}

sdk::CrewAssigned SchedulingModule::assignCrew(sdk::Id projectId, sdk::Id crewId, const std::string& stage,
                                               sdk::Date date, const Actor& by) {
    return inOwnTransaction(db_, [&](HostTransaction& tx) { return assignCrew(tx, projectId, crewId, stage, date, by); });
}
sdk::StageEvent SchedulingModule::planStage(sdk::Id projectId, const std::string& stage, sdk::Date start,
                                            sdk::Date finish, const Actor& by) {
    return inOwnTransaction(db_, [&](HostTransaction& tx) { return planStage(tx, projectId, stage, start, finish, by); });
}
sdk::StageEvent SchedulingModule::rescheduleStage(sdk::Id projectId, const std::string& stage, sdk::Date newStart,
                                                  sdk::Date newFinish, const Actor& by) {
    return inOwnTransaction(
        db_, [&](HostTransaction& tx) { return rescheduleStage(tx, projectId, stage, newStart, newFinish, by); });
}
sdk::StageEvent SchedulingModule::startStage(sdk::Id projectId, const std::string& stage, const Actor& by) {
    return inOwnTransaction(db_, [&](HostTransaction& tx) { return startStage(tx, projectId, stage, by); });
}
sdk::StageEvent SchedulingModule::finishStage(sdk::Id projectId, const std::string& stage, const Actor& by) {
    return inOwnTransaction(db_, [&](HostTransaction& tx) { return finishStage(tx, projectId, stage, by); });
}
sdk::InstallationPlanned SchedulingModule::planInstallation(sdk::Id projectId, sdk::Id crewId, sdk::Date date,
                                                            const Actor& by) {
    return inOwnTransaction(db_, [&](HostTransaction& tx) { return planInstallation(tx, projectId, crewId, date, by); });
}

std::vector<sdk::SchedulingChange> SchedulingModule::changesSince(std::int64_t cursor, std::size_t limit) {
    std::vector<sdk::SchedulingChange> out;
    for (auto& row : readChanges(db_, kModule, cursor, limit)) {
        const auto& j = row.payload;
        if (row.changeType == "crew_assigned") {
            sdk::CrewAssigned p;
            p.stamp = row.stamp;
            p.projectId = j.at("projectId").get<sdk::Id>();
            p.crewId = j.at("crewId").get<sdk::Id>();
            p.crewName = j.at("crewName").get<std::string>();
            p.stage = j.at("stage").get<std::string>();
            p.date = dateFrom(j.at("date"));
            out.emplace_back(std::move(p));
        } else if (row.changeType == "installation_planned") {
            sdk::InstallationPlanned p;
            p.stamp = row.stamp;
            p.projectId = j.at("projectId").get<sdk::Id>();
            p.crewId = j.at("crewId").get<sdk::Id>();
            p.date = dateFrom(j.at("date"));
            p.previousDate = optionalDateFrom(j.at("previousDate"));
            out.emplace_back(std::move(p));
        } else {
            sdk::StageEvent e;
            e.stamp = row.stamp;
            if (row.changeType == "stage_planned") e.change = sdk::StageChange::Planned;
            else if (row.changeType == "stage_rescheduled") e.change = sdk::StageChange::Rescheduled;
            else if (row.changeType == "stage_started") e.change = sdk::StageChange::Started;
            else if (row.changeType == "stage_finished") e.change = sdk::StageChange::Finished;
            else continue;
            e.projectId = j.at("projectId").get<sdk::Id>();
            e.stage = j.at("stage").get<std::string>();
            e.plannedStart = dateFrom(j.at("plannedStart"));
            e.plannedFinish = dateFrom(j.at("plannedFinish"));
            e.previousStart = optionalDateFrom(j.at("previousStart"));
            out.emplace_back(std::move(e));
        }
    }
    return out;
}

}  // namespace refhost
