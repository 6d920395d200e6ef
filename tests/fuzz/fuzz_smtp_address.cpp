// libFuzzer: parseSmtpAddress ("HOST:PORT" as given to --smtp). Any text gives settings with a
// clean host and a port in 1..65535, or std::invalid_argument.
#include "host_mail_client.hpp"

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const auto s = refhost::parseSmtpAddress(text);
        if (s.host.empty() || s.host.find_first_of(" \t\r\n/@") != std::string::npos) std::abort();
        if (s.port < 1 || s.port > 65535) std::abort();
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
