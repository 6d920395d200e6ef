// Contacts from an LDAP directory (OpenLDAP, Active Directory) read page by page through the
// OpenLDAP client, so the server's size limit never cuts the list short.
#pragma once

#include <conduit/crm/exchange/attribute_map.hpp>
#include <conduit/crm/exchange/contact_record.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace conduit::crm::exchange {

enum class LdapScope { Base, OneLevel, Subtree };

struct LdapQuery {
    std::string url;       // "ldap://HOST:PORT" (ldaps:// too)
    std::string bindDn;    // empty: anonymous
    std::string password;  // never logged, never in a problem's detail
    std::string baseDn;
    std::string filter = "(objectClass=person)";
    LdapScope scope = LdapScope::Subtree;
    AttributeMap map = AttributeMap::standard();
    int pageSize = 500;    // 0: no paging (then the server's size limit applies)
    std::chrono::milliseconds connectTimeout{std::chrono::seconds(10)};
    std::chrono::milliseconds operationTimeout{std::chrono::seconds(60)};  // each page
};

// A query from an LDAP URL (RFC 4516) as administrators write it:
// "ldap://ldap.example.com:389/ou=people,dc=example,dc=com??sub?(objectClass=person)"; the base,
// scope and filter when the URL has them, else the query's defaults. DirectoryBadQuery when it is
// no LDAP URL.
LdapQuery ldapQueryFromUrl(const std::string& url);

// After each page: the entries read so far; false stops the read.
using LdapProgress = std::function<bool(std::size_t entriesSoFar)>;

struct DirectoryRead {
    ContactFile contacts;       // every entry read, DN as sourceId
    bool complete = false;      // the server said there is no more; false when stopped by progress
    std::size_t pages = 0;
};

// One read of the whole result. Throws ExchangeError: DirectoryUnreachable (no server, or it went
// away; the detail says after how many entries), DirectoryRefused (the bind), DirectoryBadQuery
// (no such base, a broken filter), DirectoryLimited (a limit cut the result with no way on).
class LdapSource {
public:
    explicit LdapSource(LdapQuery query);
    DirectoryRead read(const LdapProgress& progress = {}) const;

private:
    LdapQuery query_;
};

}  // namespace conduit::crm::exchange
