// The scheduling module: production planners assign crews, plan, reschedule, start and finish
// project stages and plan installation dates (HOST_STAGES, HOST_CREW_ASSIGNMENTS, HOST_INSTALLATIONS).
#pragma once

#include "host_database.hpp"

#include <conduit/sdk/modules.hpp>

namespace refhost {

class SchedulingModule final : public sdk::ISchedulingModule {
public:
    explicit SchedulingModule(HostDatabase& db) : db_(db) {}
    std::string_view id() const override { return "scheduling"; }

    sdk::CrewAssigned assignCrew(HostTransaction& tx, sdk::Id projectId, sdk::Id crewId, const std::string& stage,
                                 sdk::Date date, const Actor& by);
    // Plans (or re-plans from scratch) a stage: "measurement", "production", "delivery", "installation".
    sdk::StageEvent planStage(HostTransaction& tx, sdk::Id projectId, const std::string& stage, sdk::Date start,
                              sdk::Date finish, const Actor& by);
    sdk::StageEvent rescheduleStage(HostTransaction& tx, sdk::Id projectId, const std::string& stage,
                                    sdk::Date newStart, sdk::Date newFinish, const Actor& by);
    sdk::StageEvent startStage(HostTransaction& tx, sdk::Id projectId, const std::string& stage, const Actor& by);
    sdk::StageEvent finishStage(HostTransaction& tx, sdk::Id projectId, const std::string& stage, const Actor& by);
    sdk::InstallationPlanned planInstallation(HostTransaction& tx, sdk::Id projectId, sdk::Id crewId, sdk::Date date,
                                              const Actor& by);

    // The same, each in a transaction of its own.
    sdk::CrewAssigned assignCrew(sdk::Id projectId, sdk::Id crewId, const std::string& stage, sdk::Date date,
                                 const Actor& by);
    sdk::StageEvent planStage(sdk::Id projectId, const std::string& stage, sdk::Date start, sdk::Date finish,
                              const Actor& by);
    sdk::StageEvent rescheduleStage(sdk::Id projectId, const std::string& stage, sdk::Date newStart,
                                    sdk::Date newFinish, const Actor& by);
    sdk::StageEvent startStage(sdk::Id projectId, const std::string& stage, const Actor& by);
    sdk::StageEvent finishStage(sdk::Id projectId, const std::string& stage, const Actor& by);
    sdk::InstallationPlanned planInstallation(sdk::Id projectId, sdk::Id crewId, sdk::Date date, const Actor& by);

    std::vector<sdk::SchedulingChange> changesSince(std::int64_t cursor, std::size_t limit) override;

private:
    sdk::StageEvent logStage(HostTransaction& tx, sdk::StageChange change, sdk::Id projectId, const std::string& stage,
                             sdk::Date start, sdk::Date finish, std::optional<sdk::Date> previousStart,
                             const Actor& by);
    HostDatabase& db_;
};

}  // namespace refhost
