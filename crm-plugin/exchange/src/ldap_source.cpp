#include <conduit/crm/exchange/ldap_source.hpp>

#include <lber.h>
#include <ldap.h>

#include <csignal>
#include <ctime>
#include <memory>
#include <pthread.h>
#include <sys/time.h>

namespace conduit::crm::exchange {
namespace {

// liblber writes with write(2): a server that went away would raise SIGPIPE and end the host.
// A library must not change the process's handler, so this thread blocks it while it talks to
// the directory and takes any SIGPIPE that arrived meanwhile before unblocking.
class SigpipeBlock {
public:
    SigpipeBlock() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
    }
    ~SigpipeBlock() {
        const timespec now{0, 0};
        while (sigtimedwait(&pipe_, nullptr, &now) == SIGPIPE) {
        }
        pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    }
    SigpipeBlock(const SigpipeBlock&) = delete;
    SigpipeBlock& operator=(const SigpipeBlock&) = delete;

private:
    sigset_t pipe_{}, previous_{};
};

struct LdapCloser {
    void operator()(LDAP* ld) const { ldap_unbind_ext_s(ld, nullptr, nullptr); }
};
struct MessageFree {
    void operator()(LDAPMessage* m) const { ldap_msgfree(m); }
};
struct ControlFree {
    void operator()(LDAPControl* c) const { ldap_control_free(c); }
};
struct ControlsFree {
    void operator()(LDAPControl** c) const { ldap_controls_free(c); }
};
using Connection = std::unique_ptr<LDAP, LdapCloser>;
using Message = std::unique_ptr<LDAPMessage, MessageFree>;

timeval toTimeval(std::chrono::milliseconds ms) {
    return {static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

int scopeOf(LdapScope scope) {
    switch (scope) {
        case LdapScope::Base: return LDAP_SCOPE_BASE;
        case LdapScope::OneLevel: return LDAP_SCOPE_ONELEVEL;
        case LdapScope::Subtree: break;
    }
    return LDAP_SCOPE_SUBTREE;
}

bool lostConnection(int rc) {
    return rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR || rc == LDAP_TIMEOUT || rc == LDAP_UNAVAILABLE ||
           rc == LDAP_BUSY;
}

bool badQuery(int rc) {
    return rc == LDAP_NO_SUCH_OBJECT || rc == LDAP_FILTER_ERROR || rc == LDAP_INVALID_DN_SYNTAX ||
           rc == LDAP_PROTOCOL_ERROR || rc == LDAP_UNDEFINED_TYPE || rc == LDAP_INAPPROPRIATE_MATCHING ||
           rc == LDAP_PARAM_ERROR || rc == LDAP_UNWILLING_TO_PERFORM ||
           rc == LDAP_REFERRAL;  // the base lives on another server
}

bool refused(int rc) {
    return rc == LDAP_INVALID_CREDENTIALS || rc == LDAP_INAPPROPRIATE_AUTH || rc == LDAP_INSUFFICIENT_ACCESS ||
           rc == LDAP_STRONG_AUTH_REQUIRED || rc == LDAP_CONFIDENTIALITY_REQUIRED;
}

bool limited(int rc) {
    return rc == LDAP_SIZELIMIT_EXCEEDED || rc == LDAP_TIMELIMIT_EXCEEDED || rc == LDAP_ADMINLIMIT_EXCEEDED;
}

class PagedReader {
public:
    PagedReader(const LdapQuery& query, const LdapProgress& progress) : query_(query), progress_(progress) {}

    DirectoryRead run() {
        connect();
        bind();
        do {
            readPage();
            ++result_.pages;
            if (progress_ && !progress_(result_.contacts.records.size())) return stop();
        } while (!cookie_.empty());
        result_.complete = true;
        return std::move(result_);
    }

private:
    [[noreturn]] void fail(ProblemCode code, int rc, const std::string& what) const {
        std::string detail = query_.url + ", " + what + ": " + ldap_err2string(rc);
        if (code == ProblemCode::DirectoryUnreachable || code == ProblemCode::DirectoryLimited)
            detail += ", " + std::to_string(result_.contacts.records.size()) + " read";
        throw ExchangeError({code, 0, "", detail});
    }

    void failFor(int rc, const std::string& what) const {
        if (lostConnection(rc)) fail(ProblemCode::DirectoryUnreachable, rc, what);
        if (refused(rc)) fail(ProblemCode::DirectoryRefused, rc, what);
        if (limited(rc)) fail(ProblemCode::DirectoryLimited, rc, what);
        if (badQuery(rc)) fail(ProblemCode::DirectoryBadQuery, rc, what);
        // Anything else (a reply that cannot be decoded, the library's own trouble) means the
        // conversation with the directory broke off.
        fail(ProblemCode::DirectoryUnreachable, rc, what);
    }

    void connect() {
        LDAP* raw = nullptr;
        const int rc = ldap_initialize(&raw, query_.url.c_str());
        if (rc != LDAP_SUCCESS || !raw) fail(ProblemCode::DirectoryUnreachable, rc, "address");
        ld_.reset(raw);
        const int version = LDAP_VERSION3;
        ldap_set_option(raw, LDAP_OPT_PROTOCOL_VERSION, &version);
        ldap_set_option(raw, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
        const timeval connectTimeout = toTimeval(query_.connectTimeout);
        ldap_set_option(raw, LDAP_OPT_NETWORK_TIMEOUT, &connectTimeout);
        const timeval operationTimeout = toTimeval(query_.operationTimeout);
        ldap_set_option(raw, LDAP_OPT_TIMEOUT, &operationTimeout);
    }

    void bind() {
        berval credentials{static_cast<ber_len_t>(query_.password.size()), const_cast<char*>(query_.password.data())};
        const char* dn = query_.bindDn.empty() ? nullptr : query_.bindDn.c_str();
        const int rc = ldap_sasl_bind_s(ld_.get(), dn, LDAP_SASL_SIMPLE, &credentials, nullptr, nullptr, nullptr);
        if (rc == LDAP_SUCCESS) return;
        if (lostConnection(rc)) fail(ProblemCode::DirectoryUnreachable, rc, "bind");
        fail(ProblemCode::DirectoryRefused, rc, "bind " + query_.bindDn);
    }

    std::unique_ptr<LDAPControl, ControlFree> pageControl() const {
        if (query_.pageSize <= 0) return nullptr;
        berval cookie{static_cast<ber_len_t>(cookie_.size()), const_cast<char*>(cookie_.data())};
        LDAPControl* control = nullptr;
        const int rc = ldap_create_page_control(ld_.get(), query_.pageSize, &cookie, 0, &control);
        if (rc != LDAP_SUCCESS) failFor(rc, "page");
        return std::unique_ptr<LDAPControl, ControlFree>(control);
    }

    Message search(LDAPControl* page) const {
        LDAPControl* controls[] = {page, nullptr};
        char star[] = "*", uuid[] = "entryUUID";
        char* attributes[] = {star, uuid, nullptr};
        timeval timeout = toTimeval(query_.operationTimeout);
        LDAPMessage* raw = nullptr;
        const int rc = ldap_search_ext_s(ld_.get(), query_.baseDn.c_str(), scopeOf(query_.scope),
                                         query_.filter.c_str(), attributes, 0, page ? controls : nullptr, nullptr,
                                         &timeout, LDAP_NO_LIMIT, &raw);
        Message message(raw);
        if (rc != LDAP_SUCCESS && !limited(rc)) failFor(rc, "search " + query_.baseDn + " " + query_.filter);
        if (!message) failFor(LDAP_SERVER_DOWN, "search");
        return message;
    }

    void readPage() {
        const auto page = pageControl();
        const Message message = search(page.get());
        for (LDAPMessage* e = ldap_first_entry(ld_.get(), message.get()); e; e = ldap_next_entry(ld_.get(), e))
            result_.contacts.records.push_back(toContact(entryOf(e), query_.map));
        readOutcome(message.get());
    }

    // The page's result code and the cookie for the next page; a limit hit with no cookie to go
    // on means the list is cut, and a cut list is never given as the whole directory.
    void readOutcome(LDAPMessage* message) {
        int code = LDAP_SUCCESS;
        LDAPControl** raw = nullptr;
        const int rc = ldap_parse_result(ld_.get(), message, &code, nullptr, nullptr, nullptr, &raw, 0);
        const std::unique_ptr<LDAPControl*, ControlsFree> controls(raw);
        if (rc != LDAP_SUCCESS) failFor(rc, "result");
        cookie_.clear();
        if (LDAPControl* found = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, raw, nullptr)) {
            ber_int_t estimate = 0;
            berval cookie{0, nullptr};
            if (ldap_parse_pageresponse_control(ld_.get(), found, &estimate, &cookie) == LDAP_SUCCESS && cookie.bv_val) {
                cookie_.assign(cookie.bv_val, cookie.bv_len);
                ber_memfree(cookie.bv_val);
            }
        }
        if (code != LDAP_SUCCESS && (cookie_.empty() || !limited(code))) failFor(code, "search");
    }

    DirectoryEntry entryOf(LDAPMessage* e) const {
        DirectoryEntry entry;
        if (char* dn = ldap_get_dn(ld_.get(), e)) {
            entry.dn = dn;
            ldap_memfree(dn);
        }
        BerElement* ber = nullptr;
        for (char* name = ldap_first_attribute(ld_.get(), e, &ber); name; name = ldap_next_attribute(ld_.get(), e, ber)) {
            entry.attributes.push_back({name, valuesOf(e, name)});
            ldap_memfree(name);
        }
        if (ber) ber_free(ber, 0);
        return entry;
    }

    std::vector<std::string> valuesOf(LDAPMessage* e, const char* name) const {
        std::vector<std::string> out;
        berval** values = ldap_get_values_len(ld_.get(), e, name);
        for (berval** v = values; v && *v; ++v) out.emplace_back((*v)->bv_val, (*v)->bv_len);
        if (values) ldap_value_free_len(values);
        return out;
    }

    DirectoryRead stop() {
        if (!cookie_.empty()) abandonPagedSearch();
        result_.complete = cookie_.empty();
        return std::move(result_);
    }

    // The server keeps a paged search's state until told: a page of size 0 with the cookie ends it.
    void abandonPagedSearch() {
        berval cookie{static_cast<ber_len_t>(cookie_.size()), cookie_.data()};
        LDAPControl* raw = nullptr;
        if (ldap_create_page_control(ld_.get(), 0, &cookie, 0, &raw) != LDAP_SUCCESS) return;
        const std::unique_ptr<LDAPControl, ControlFree> control(raw);
        LDAPControl* controls[] = {raw, nullptr};
        char noAttributes[] = "1.1";
        char* attributes[] = {noAttributes, nullptr};
        timeval timeout = toTimeval(query_.operationTimeout);
        LDAPMessage* message = nullptr;
        ldap_search_ext_s(ld_.get(), query_.baseDn.c_str(), scopeOf(query_.scope), query_.filter.c_str(), attributes,
                          1, controls, nullptr, &timeout, LDAP_NO_LIMIT, &message);
        ldap_msgfree(message);
    }

    const LdapQuery& query_;
    const LdapProgress& progress_;
    Connection ld_;
    std::string cookie_;
    DirectoryRead result_;
};

}  // namespace

namespace {

// "ldap://h/dn?attrs?scope?filter": whether the scope part is written.
bool explicitScope(const std::string& url) {
    const auto first = url.find('?');
    if (first == std::string::npos) return false;
    const auto second = url.find('?', first + 1);
    if (second == std::string::npos) return false;
    const auto end = url.find('?', second + 1);
    return end != second + 1 && second + 1 < url.size();
}

}  // namespace

LdapQuery ldapQueryFromUrl(const std::string& url) {
    LDAPURLDesc* raw = nullptr;
    if (ldap_url_parse(url.c_str(), &raw) != LDAP_URL_SUCCESS || !raw)
        throw ExchangeError({ProblemCode::DirectoryBadQuery, 0, "url", url});
    const std::unique_ptr<LDAPURLDesc, void (*)(LDAPURLDesc*)> desc(raw, ldap_free_urldesc);
    LdapQuery query;
    query.url = std::string(desc->lud_scheme ? desc->lud_scheme : "ldap") + "://" + (desc->lud_host ? desc->lud_host : "") +
                (desc->lud_port ? ":" + std::to_string(desc->lud_port) : "");
    if (desc->lud_dn) query.baseDn = desc->lud_dn;
    if (desc->lud_filter) query.filter = desc->lud_filter;
    // The library reads a URL without a scope as "base"; people mean the whole subtree then.
    if (explicitScope(url)) {
        if (desc->lud_scope == LDAP_SCOPE_BASE) query.scope = LdapScope::Base;
        else if (desc->lud_scope == LDAP_SCOPE_ONELEVEL) query.scope = LdapScope::OneLevel;
    }
    return query;
}

LdapSource::LdapSource(LdapQuery query) : query_(std::move(query)) {}

DirectoryRead LdapSource::read(const LdapProgress& progress) const {
    const SigpipeBlock quiet;
    DirectoryRead read = PagedReader(query_, progress).run();
    read.contacts.encoding = "UTF-8";
    return read;
}

}  // namespace conduit::crm::exchange
