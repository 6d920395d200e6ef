// Small pieces the foundation's ICU users share: turning ICU's status codes into exceptions
// and its UTF-16 strings into the UTF-8 the rest of the CRM speaks.
#pragma once

#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <stdexcept>
#include <string>

namespace conduit::crm::icu_support {

inline void check(UErrorCode status, const char* what) {
    if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU ") + what + " failed: " + u_errorName(status));
}

inline std::string toUtf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

}  // namespace conduit::crm::icu_support
