// libFuzzer: the SQL migration splitter. Any script splits without a crash; no statement keeps a
// '--' comment line or ends in the separator; splitting is stable on re-joined output.
#include <conduit/crm/database/migrations.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view script(reinterpret_cast<const char*>(data), size);
    const auto statements = conduit::crm::splitStatements(script);
    std::string joined;
    for (const auto& st : statements) {
        if (st.find_first_not_of(" \t\r\n") == std::string::npos) std::abort();  // no empty statements
        std::size_t pos = 0;
        while (pos <= st.size()) {
            const auto end = std::min(st.find('\n', pos), st.size());
            const auto line = std::string_view(st).substr(pos, end - pos);
            const auto first = line.find_first_not_of(" \t\r");
            if (first != std::string_view::npos && line.substr(first, 2) == "--") std::abort();
            pos = end + 1;
        }
        joined += st + ";\n";
    }
    // Statements containing ';' at a line end would split again; otherwise the split is stable.
    bool reSplittable = true;
    for (const auto& st : statements)
        if (st.find(";\n") != std::string::npos || st.find(";\r") != std::string::npos || st.find("; ") != std::string::npos ||
            (!st.empty() && st.back() == ';'))
            reSplittable = false;
    if (reSplittable && conduit::crm::splitStatements(joined).size() != statements.size()) std::abort();
    return 0;
}
