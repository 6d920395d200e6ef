// The outbox folder used when no SMTP server is configured: every message becomes one .eml file,
// written whole or not at all, so a reader (or a person) never sees half a message.
#pragma once

#include <filesystem>
#include <string>

namespace refhost {

// Writes <dir>/<UTC timestamp>-<sanitised messageId>.eml through a temporary file, fsync and
// rename. Returns the final path; throws std::system_error on any failure (the temp file is gone).
std::filesystem::path writeEml(const std::filesystem::path& dir, const std::string& messageId,
                               const std::string& bytes);

// "user-7.notif@conduit.local" -> "user-7.notif_conduit.local": safe as a file name anywhere.
std::string fileNameSafe(const std::string& text, std::size_t maxLength = 120);

}  // namespace refhost
