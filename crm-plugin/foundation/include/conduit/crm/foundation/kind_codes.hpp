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

}  // namespace conduit::crm::kinds
