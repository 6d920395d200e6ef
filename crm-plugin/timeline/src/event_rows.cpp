#include <conduit/crm/timeline/event_rows.hpp>

#include <algorithm>

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
    " E.ATTACHMENT_COUNT, E.SUBJECT_COUNT";

const char* const kInsertEvent =
    "INSERT INTO CRM_EVENT (ID, IDEMPOTENCY_KEY, OCCURRED_AT, RECORDED_AT, KIND, SOURCE_MODULE, AUTHOR_ID,"
    " PROJECT_ID, COUNTERPARTY_ID, IMPORTANCE, TITLE, BODY, AMOUNT_MINOR, CURRENCY, CREW_ID, CREW_NAME,"
    " STAGE, START_DATE, END_DATE, INVOICE_NUMBER, DUE_AT, EXTRA, ATTACHMENT_COUNT, SUBJECT_COUNT) VALUES ("
    ":ID, :IDEMPOTENCY_KEY, :OCCURRED_AT, :RECORDED_AT, :KIND, :SOURCE_MODULE, :AUTHOR_ID,"
    " :PROJECT_ID, :COUNTERPARTY_ID, :IMPORTANCE, :TITLE, :BODY, :AMOUNT_MINOR, :CURRENCY, :CREW_ID, :CREW_NAME,"
    " :STAGE, :START_DATE, :END_DATE, :INVOICE_NUMBER, :DUE_AT, :EXTRA, :ATTACHMENT_COUNT, :SUBJECT_COUNT)";

namespace {

soci::indicator present(bool yes) { return yes ? soci::i_ok : soci::i_null; }

}  // namespace

EventInsert::EventInsert(soci::session& s)
    : st_((s.prepare << kInsertEvent, soci::use(id_, "ID"), soci::use(key_, "IDEMPOTENCY_KEY"),
           soci::use(occurred_, "OCCURRED_AT"), soci::use(recorded_, "RECORDED_AT"), soci::use(kind_, "KIND"),
           soci::use(source_, iSource_, "SOURCE_MODULE"), soci::use(author_, iAuthor_, "AUTHOR_ID"),
           soci::use(project_, iProject_, "PROJECT_ID"), soci::use(counterparty_, iCounterparty_, "COUNTERPARTY_ID"),
           soci::use(importance_, "IMPORTANCE"), soci::use(title_, "TITLE"), soci::use(body_, iBody_, "BODY"),
           soci::use(amount_, iAmount_, "AMOUNT_MINOR"), soci::use(currency_, iCurrency_, "CURRENCY"),
           soci::use(crewId_, iCrewId_, "CREW_ID"), soci::use(crewName_, iCrewName_, "CREW_NAME"),
           soci::use(stage_, iStage_, "STAGE"), soci::use(start_, iStart_, "START_DATE"), soci::use(end_, iEnd_, "END_DATE"),
           soci::use(invoice_, iInvoice_, "INVOICE_NUMBER"), soci::use(due_, iDue_, "DUE_AT"),
           soci::use(extra_, iExtra_, "EXTRA"), soci::use(attachments_, "ATTACHMENT_COUNT"),
           soci::use(subjects_, "SUBJECT_COUNT"))) {}

void EventInsert::execute(const Event& e) {
    // Empty strings and zero ids are "none" in the domain and NULL in the table.
    id_ = e.id;
    key_ = e.idempotencyKey;
    occurred_ = toTm(e.occurredAt);
    recorded_ = toTm(e.recordedAt);
    kind_ = e.kind;
    source_ = e.sourceModule;
    iSource_ = present(!source_.empty());
    author_ = e.authorId;
    iAuthor_ = present(author_ != 0);
    project_ = e.projectId;
    iProject_ = present(project_ != 0);
    counterparty_ = e.counterpartyId;
    iCounterparty_ = present(counterparty_ != 0);
    importance_ = static_cast<int>(e.importance);
    title_ = e.title;
    body_ = e.body;
    iBody_ = present(!body_.empty());
    amount_ = e.amount ? e.amount->minor : 0;
    iAmount_ = present(e.amount.has_value());
    currency_ = e.amount ? e.amount->currency : std::string();
    iCurrency_ = present(!currency_.empty());
    crewId_ = e.crewId;
    iCrewId_ = present(crewId_ != 0);
    crewName_ = e.crewName;
    iCrewName_ = present(!crewName_.empty());
    stage_ = e.stage;
    iStage_ = present(!stage_.empty());
    if (e.startDate) start_ = toTm(*e.startDate);
    iStart_ = present(e.startDate.has_value());
    if (e.endDate) end_ = toTm(*e.endDate);
    iEnd_ = present(e.endDate.has_value());
    invoice_ = e.invoiceNumber;
    iInvoice_ = present(!invoice_.empty());
    if (e.dueAt) due_ = toTm(*e.dueAt);
    iDue_ = present(e.dueAt.has_value());
    extra_ = e.extra;
    iExtra_ = present(!extra_.empty());
    attachments_ = static_cast<int>(e.attachments.size());
    subjects_ = static_cast<int>(e.subjects.size());
    st_.execute(true);
}

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
    // Likewise CRM_EVENT_SUBJECT: id 0 until loadSubjects() reads them (NULL in older rows: none).
    e.subjects.assign(static_cast<std::size_t>(std::max(0, v.get<int>("SUBJECT_COUNT", 0))),
                      conduit::crm::SubjectRef{conduit::crm::subject_types::task, 0});
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
    v.set("SUBJECT_COUNT", static_cast<int>(e.subjects.size()));
    ind = i_ok;
}

}  // namespace soci
