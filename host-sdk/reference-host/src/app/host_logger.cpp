#include "host_logger.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace refhost {

HostLogger::HostLogger(const std::filesystem::path& logFile, bool quiet) {
    std::vector<spdlog::sink_ptr> sinks;
    auto console = std::make_shared<spdlog::sinks::stdout_sink_mt>();
    console->set_level(quiet ? spdlog::level::warn : spdlog::level::info);
    console->set_pattern("%H:%M:%S %^%-5l%$ %v");
    sinks.push_back(console);
    if (!logFile.empty()) {
        std::filesystem::create_directories(logFile.parent_path());
        auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(logFile.string());
        file->set_level(spdlog::level::debug);
        file->set_pattern("%Y-%m-%d %H:%M:%S.%e %-5l [%t] %v");
        sinks.push_back(file);
    }
    logger_ = std::make_shared<spdlog::logger>("host", sinks.begin(), sinks.end());
    logger_->set_level(spdlog::level::debug);
    logger_->flush_on(spdlog::level::warn);
}

HostLogger::~HostLogger() { logger_->flush(); }

void HostLogger::log(conduit::sdk::LogLevel level, std::string_view component, std::string_view message) {
    using conduit::sdk::LogLevel;
    const auto lvl = level == LogLevel::Debug     ? spdlog::level::debug
                     : level == LogLevel::Info    ? spdlog::level::info
                     : level == LogLevel::Warning ? spdlog::level::warn
                                                  : spdlog::level::err;
    logger_->log(lvl, "[{}] {}", component, message);
}

void HostLogger::flush() { logger_->flush(); }

}  // namespace refhost
