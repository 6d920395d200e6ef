// libFuzzer: the reference host's settings file (DATA/settings.json). Any bytes either load as
// string settings or are refused with std::runtime_error naming the file; what loads reads back.
#include "host_settings.hpp"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::filesystem::path file =
        std::filesystem::temp_directory_path() / ("conduit-fuzz-settings-" + std::to_string(::getpid()) + ".json");
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        refhost::HostSettings settings(file);
        // Whatever loaded survives a write and a fresh read.
        settings.set("fuzz.key", "значение ż");
        refhost::HostSettings again(file);
        if (again.get("fuzz.key") != std::optional<std::string>("значение ż")) std::abort();
    } catch (const std::runtime_error& e) {
        if (std::string(e.what()).find(file.string()) == std::string::npos) std::abort();  // the message names the file
    }
    return 0;
}
