#include "test_host.hpp"

#include <cstdio>
#include <cstdlib>

namespace conduit::test {

void CapturingLogger::log(sdk::LogLevel, std::string_view component, std::string_view message) {
    std::lock_guard lock(mutex_);
    lines_.push_back("[" + std::string(component) + "] " + std::string(message));
}
std::vector<std::string> CapturingLogger::lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
}
bool CapturingLogger::contains(std::string_view needle) const { return indexOf(needle) >= 0; }
int CapturingLogger::indexOf(std::string_view needle) const {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < lines_.size(); ++i)
        if (lines_[i].find(needle) != std::string::npos) return static_cast<int>(i);
    return -1;
}

std::optional<std::string> MemorySettings::get(std::string_view key) const {
    std::lock_guard lock(mutex_);
    auto it = values_.find(key);
    return it == values_.end() ? std::nullopt : std::optional<std::string>(it->second);
}
void MemorySettings::set(std::string_view key, std::string_view value) {
    std::lock_guard lock(mutex_);
    values_[std::string(key)] = std::string(value);
}

void RecordingForms::addForm(sdk::FormSpec spec) {
    std::lock_guard lock(mutex_);
    auto id = spec.id;
    forms_.emplace(id, std::move(spec));
}
void RecordingForms::removeForm(const std::string& id) {
    std::lock_guard lock(mutex_);
    forms_.erase(id);
}
bool RecordingForms::openForm(const std::string& id) {
    std::lock_guard lock(mutex_);
    return forms_.count(id) > 0;
}
std::vector<std::string> RecordingForms::ids() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (auto& [id, _] : forms_) out.push_back(id);
    return out;
}

TestHost::TestHost(const std::filesystem::path& dataDir)
    : services{.host = {.name = "test host", .version = "0", .locale = "pl", .dataDir = dataDir, .headless = true},
               .modules = modules,
               .mail = mail,
               .forms = forms,
               .directory = directory,
               .currentUser = {.id = 1, .login = "dispatcher", .fullName = "Ewa Dyspozytorka"},
               .database = {.kind = sdk::DatabaseLocation::Kind::Embedded, .file = dataDir / "crm.fdb"},
               .settings = settings,
               .logger = logger} {}

TestHost::~TestHost() {
    if (std::getenv("CONDUIT_TEST_VERBOSE"))
        for (auto& l : logger.lines()) std::fprintf(stderr, "  log: %s\n", l.c_str());
}

void TestHost::emitPayment(std::int64_t seq) {
    sdk::PaymentRegistered p;
    p.stamp = {seq, "payments", "payment:" + std::to_string(seq), 1, {}, 0};
    p.paymentId = seq;
    p.amount = {125000, "PLN"};
    p.kind = sdk::PaymentKind::Prepayment;
    modules.payments_.paymentRegistered(p);
}

}  // namespace conduit::test
