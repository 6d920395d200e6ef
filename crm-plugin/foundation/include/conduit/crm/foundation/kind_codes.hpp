// The codes of the built-in event kinds, named once: the host modules', people's entries and the
// notifier's own. Later areas add their kinds to the registry under codes of their own.
#pragma once

namespace conduit::crm::kinds {

inline constexpr const char* kOrderMaterialsReserved = "order.materials_reserved";
inline constexpr const char* kOrderPrepaymentRequired = "order.prepayment_required";
inline constexpr const char* kOrderProductionLaunched = "order.production_launched";
inline constexpr const char* kCrewAssigned = "schedule.crew_assigned";
inline constexpr const char* kStagePlanned = "schedule.stage_planned";
inline constexpr const char* kStageRescheduled = "schedule.stage_rescheduled";
inline constexpr const char* kStageStarted = "schedule.stage_started";
inline constexpr const char* kStageFinished = "schedule.stage_finished";
inline constexpr const char* kInstallationPlanned = "schedule.installation_planned";
inline constexpr const char* kItemsReceived = "warehouse.fg_received";
inline constexpr const char* kInvoicePosted = "warehouse.invoice_posted";
inline constexpr const char* kWarehouseMaterialsReserved = "warehouse.materials_reserved";
inline constexpr const char* kPaymentReceived = "payment.received";
inline constexpr const char* kPrepaymentReceived = "payment.prepayment_received";
inline constexpr const char* kFinalPaymentReceived = "payment.final_received";
inline constexpr const char* kPaymentOverdue = "payment.overdue";
inline constexpr const char* kCustomerNote = "note.customer";
inline constexpr const char* kProjectNote = "note.project";
inline constexpr const char* kMeasurementNote = "note.measurement";
inline constexpr const char* kMailSent = "mail.sent";
inline constexpr const char* kNotificationFailed = "notification.failed";
inline constexpr const char* kFollowed = "notification.followed";
inline constexpr const char* kUnfollowed = "notification.unfollowed";
// The catalogue's: a company or a person created, changed, merged, their people and relations.
inline constexpr const char* kPartyCreated = "party.created";
inline constexpr const char* kPartyChanged = "party.changed";
inline constexpr const char* kPartyMerged = "party.merged";
inline constexpr const char* kPartyMergeUndone = "party.merge_undone";
inline constexpr const char* kPartyRemovedInHost = "party.removed_in_host";
inline constexpr const char* kEmploymentAdded = "party.employment_added";
inline constexpr const char* kEmploymentChanged = "party.employment_changed";
inline constexpr const char* kRelationAdded = "party.relation_added";
inline constexpr const char* kRelationEnded = "party.relation_ended";
inline constexpr const char* kCertificationAdded = "party.certification_added";
// Many companies and people loaded at once (an import): one event for the whole load.
inline constexpr const char* kPartiesLoaded = "party.batch_loaded";
// A load taken back: what it created removed, what it changed restored.
inline constexpr const char* kPartyLoadUndone = "party.load_undone";

}  // namespace conduit::crm::kinds
