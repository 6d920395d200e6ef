#include "action_command.hpp"

#include <chrono>
#include <fstream>
#include <iterator>
#include <ostream>

namespace refhost {
namespace {

bool splitField(const std::string& text, std::string& name, std::string& value) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) return false;
    name = text.substr(0, eq);
    value = text.substr(eq + 1);
    return true;
}

bool readWhole(const std::filesystem::path& path, std::string& bytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    bytes.assign(std::istreambuf_iterator<char>(in), {});
    return !in.bad();
}

}  // namespace

int runActionCommand(const ActionCommand& command, sdk::IActionRegistry& actions, sdk::Id userId, std::uintmax_t maxFileBytes,
                     const HostText& text, std::ostream& out, std::ostream& err) {
    const auto say = [&err](const QString& line) { err << line.toStdString() << "\n"; };
    sdk::ActionRequest request;
    request.action = command.action;
    request.userId = userId;
    request.requestId = "command-" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
    for (const auto& field : command.fields) {
        std::string name, value;
        if (!splitField(field, name, value)) return say(text.notAField(field)), 2;
        request.fields[name] = value;
    }
    for (const auto& field : command.fieldsFromFiles) {
        std::string name, path, bytes;
        if (!splitField(field, name, path) || !readWhole(path, bytes)) return say(text.cannotRead(field, {})), 2;
        request.fields[name] = bytes.substr(0, bytes.find_first_of("\r\n"));
    }
    for (const auto& path : command.files) {
        std::error_code ec;
        const auto size = std::filesystem::file_size(path, ec);
        if (ec) return say(text.cannotRead(path.string(), ec.message())), 2;
        if (size > maxFileBytes) return say(text.fileTooLarge(path.string(), size / (1024 * 1024), maxFileBytes / (1024 * 1024))), 2;
        sdk::ActionFile file{path.filename().string(), {}};
        if (!readWhole(path, file.content)) return say(text.cannotRead(path.string(), {})), 2;
        request.files.push_back(std::move(file));
    }
    const auto result = actions.invoke(request);
    if (!result) return say(text.noActionProvider(command.action)), 3;
    (result->ok ? out : err) << result->message << (result->message.empty() || result->message.back() != '\n' ? "\n" : "");
    return result->ok ? 0 : 1;
}

}  // namespace refhost
