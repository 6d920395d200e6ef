// The catalogue as XML for other systems: a streaming writer (one party at a time, no document
// tree), the party's id as its stable id, ISO dates, valid XML 1.0 whatever the text holds.
#pragma once

#include <conduit/crm/exchange/atomic_file.hpp>

#include <conduit/crm/parties/catalogue.hpp>

#include <string>
#include <string_view>

namespace conduit::crm::exchange {

// The schema's namespace; its last part is the format's version (the XSD is
// crm-plugin/exchange/schema/conduit-catalogue.xsd).
inline constexpr const char* kCatalogueNamespace = "urn:conduit:crm:catalogue:1";

// The text as XML 1.0 may carry it: invalid UTF-8 becomes U+FFFD, characters XML forbids (C0
// controls but tab and line breaks, U+FFFE, U+FFFF) are dropped. Not yet escaped.
std::string xmlSafeText(std::string_view text);
// Whether xmlSafeText would give the text back unchanged (most text: checked without a copy).
bool isXmlSafe(std::string_view text);
// xmlSafeText, then &, <, > and (for attributes) " and line breaks escaped.
std::string xmlEscaped(std::string_view text);

// ISO 8601: "2026-12-03T10:00:00Z", "2026-12-03".
std::string isoDateTime(sdk::TimePoint at);
std::string isoDate(sdk::Date day);

class XmlCatalogueWriter {
public:
    // Writes the declaration and the root's start tag.
    XmlCatalogueWriter(AtomicFile& out, sdk::TimePoint exportedAt);
    void write(const parties::ExportedParty& party);
    // The root's end tag; the file is complete (the caller commits it).
    void finish();

private:
    AtomicFile& out_;
    std::string buffer_;
};

}  // namespace conduit::crm::exchange
