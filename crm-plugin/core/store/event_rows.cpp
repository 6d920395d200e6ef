#include "store/event_rows.hpp"

namespace conduit::crm::rows {

std::tm toTm(sdk::TimePoint t) {
    const std::time_t tt = t.time_since_epoch().count();
    std::tm tm{};
    gmtime_r(&tt, &tm);
    return tm;
}

sdk::TimePoint toTimePoint(const std::tm& tm) {
    std::tm copy = tm;
    return sdk::TimePoint(std::chrono::seconds(timegm(&copy)));
}

std::tm toTm(sdk::Date d) { return toTm(sdk::TimePoint(d)); }

sdk::Date toDate(const std::tm& tm) {
    return std::chrono::floor<std::chrono::days>(toTimePoint(tm));
}

const char* const kEventColumns =
    "E.ID, E.IDEMPOTENCY_KEY, E.OCCURRED_AT, E.RECORDED_AT, E.KIND, E.SOURCE_MODULE, E.AUTHOR_ID,"
    " E.PROJECT_ID, E.COUNTERPARTY_ID, E.IMPORTANCE, E.TITLE, E.BODY, E.AMOUNT_MINOR, E.CURRENCY,"
    " E.CREW_ID, E.CREW_NAME, E.STAGE, E.START_DATE, E.END_DATE, E.INVOICE_NUMBER, E.DUE_AT, E.EXTRA,"
    " E.ATTACHMENT_COUNT";

const char* const kInsertEvent =
    "INSERT INTO CRM_EVENT (ID, IDEMPOTENCY_KEY, OCCURRED_AT, RECORDED_AT, KIND, SOURCE_MODULE, AUTHOR_ID,"
    " PROJECT_ID, COUNTERPARTY_ID, IMPORTANCE, TITLE, BODY, AMOUNT_MINOR, CURRENCY, CREW_ID, CREW_NAME,"
    " STAGE, START_DATE, END_DATE, INVOICE_NUMBER, DUE_AT, EXTRA, ATTACHMENT_COUNT) VALUES ("
    ":ID, :IDEMPOTENCY_KEY, :OCCURRED_AT, :RECORDED_AT, :KIND, :SOURCE_MODULE, :AUTHOR_ID,"
    " :PROJECT_ID, :COUNTERPARTY_ID, :IMPORTANCE, :TITLE, :BODY, :AMOUNT_MINOR, :CURRENCY, :CREW_ID, :CREW_NAME,"
    " :STAGE, :START_DATE, :END_DATE, :INVOICE_NUMBER, :DUE_AT, :EXTRA, :ATTACHMENT_COUNT)";

}  // namespace conduit::crm::rows

namespace soci {
namespace {

using conduit::crm::Event;
namespace rows = conduit::crm::rows;

// Empty strings and zero ids are "none" in the domain and NULL in the table.
void setText(values& v, const char* name, const std::string& s) {
    v.set(name, s, s.empty() ? i_null : i_ok);
}
void setId(values& v, const char* name, std::int64_t id) {
    v.set(name, static_cast<long long>(id), id == 0 ? i_null : i_ok);
}
std::string text(const values& v, const char* name) { return v.get<std::string>(name, std::string()); }
std::int64_t id(const values& v, const char* name) { return v.get<long long>(name, 0LL); }

}  // namespace

void type_conversion<Event>::from_base(const values& v, indicator, Event& e) {
    e = Event{};
    e.id = v.get<long long>("ID");
    e.idempotencyKey = v.get<std::string>("IDEMPOTENCY_KEY");
    e.occurredAt = rows::toTimePoint(v.get<std::tm>("OCCURRED_AT"));
    e.recordedAt = rows::toTimePoint(v.get<std::tm>("RECORDED_AT"));
    e.kind = v.get<std::string>("KIND");
    e.sourceModule = text(v, "SOURCE_MODULE");
    e.authorId = id(v, "AUTHOR_ID");
    e.projectId = id(v, "PROJECT_ID");
    e.counterpartyId = id(v, "COUNTERPARTY_ID");
    e.importance = static_cast<conduit::crm::Importance>(v.get<int>("IMPORTANCE"));
    e.title = v.get<std::string>("TITLE");
    e.body = text(v, "BODY");
    if (v.get_indicator("AMOUNT_MINOR") == i_ok)
        e.amount = conduit::sdk::Money{v.get<long long>("AMOUNT_MINOR"), text(v, "CURRENCY")};
    e.crewId = id(v, "CREW_ID");
    e.crewName = text(v, "CREW_NAME");
    e.stage = text(v, "STAGE");
    if (v.get_indicator("START_DATE") == i_ok) e.startDate = rows::toDate(v.get<std::tm>("START_DATE"));
    if (v.get_indicator("END_DATE") == i_ok) e.endDate = rows::toDate(v.get<std::tm>("END_DATE"));
    e.invoiceNumber = text(v, "INVOICE_NUMBER");
    if (v.get_indicator("DUE_AT") == i_ok) e.dueAt = rows::toTimePoint(v.get<std::tm>("DUE_AT"));
    e.extra = text(v, "EXTRA");
    // Attachments come from CRM_EVENT_ATTACHMENT; the count sizes the vector for the loader.
    e.attachments.resize(static_cast<std::size_t>(v.get<int>("ATTACHMENT_COUNT")));
}

void type_conversion<Event>::to_base(const Event& e, values& v, indicator& ind) {
    v.set("ID", static_cast<long long>(e.id));
    v.set("IDEMPOTENCY_KEY", e.idempotencyKey);
    v.set("OCCURRED_AT", rows::toTm(e.occurredAt));
    v.set("RECORDED_AT", rows::toTm(e.recordedAt));
    v.set("KIND", e.kind);
    setText(v, "SOURCE_MODULE", e.sourceModule);
    setId(v, "AUTHOR_ID", e.authorId);
    setId(v, "PROJECT_ID", e.projectId);
    setId(v, "COUNTERPARTY_ID", e.counterpartyId);
    v.set("IMPORTANCE", static_cast<int>(e.importance));
    v.set("TITLE", e.title);
    setText(v, "BODY", e.body);
    v.set("AMOUNT_MINOR", static_cast<long long>(e.amount ? e.amount->minor : 0), e.amount ? i_ok : i_null);
    setText(v, "CURRENCY", e.amount ? e.amount->currency : std::string());
    setId(v, "CREW_ID", e.crewId);
    setText(v, "CREW_NAME", e.crewName);
    setText(v, "STAGE", e.stage);
    v.set("START_DATE", e.startDate ? rows::toTm(*e.startDate) : std::tm{}, e.startDate ? i_ok : i_null);
    v.set("END_DATE", e.endDate ? rows::toTm(*e.endDate) : std::tm{}, e.endDate ? i_ok : i_null);
    setText(v, "INVOICE_NUMBER", e.invoiceNumber);
    v.set("DUE_AT", e.dueAt ? rows::toTm(*e.dueAt) : std::tm{}, e.dueAt ? i_ok : i_null);
    setText(v, "EXTRA", e.extra);
    v.set("ATTACHMENT_COUNT", static_cast<int>(e.attachments.size()));
    ind = i_ok;
}

}  // namespace soci
