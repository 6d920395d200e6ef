#include "overflow_journal.hpp"

#include "host_change_json.hpp"

#include <fstream>
#include <string>

namespace conduit::adapters {

OverflowJournal::OverflowJournal(std::filesystem::path file) : file_(std::move(file)) {
    std::ifstream in(file_);
    std::size_t lines = 0;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) ++lines;
    pending_ = lines;
}

OverflowJournal::~OverflowJournal() {
    if (out_) std::fclose(out_);
}

bool OverflowJournal::append(const HostChange& change) {
    std::string line;
    try {
        line = toJsonLine(change);
    } catch (const std::exception&) {
        return false;
    }
    line += '\n';
    std::lock_guard lock(mutex_);
    if (!out_) {
        std::error_code ec;
        std::filesystem::create_directories(file_.parent_path(), ec);
        out_ = std::fopen(file_.c_str(), "ae");
        if (!out_) return false;
    }
    if (std::fwrite(line.data(), 1, line.size(), out_) != line.size() || std::fflush(out_) != 0) return false;
    pending_.fetch_add(1, std::memory_order_release);
    return true;
}

OverflowJournal::Taken OverflowJournal::takeAll() {
    Taken taken;
    std::lock_guard lock(mutex_);
    if (out_) {
        std::fclose(out_);
        out_ = nullptr;
    }
    {
        std::ifstream in(file_);
        for (std::string line; std::getline(in, line);) {
            if (line.empty()) continue;
            try {
                taken.changes.push_back(parseJsonLine(line));
            } catch (const std::exception&) {
                ++taken.unreadable;
            }
        }
    }
    std::error_code ec;
    std::filesystem::remove(file_, ec);
    pending_.store(0, std::memory_order_release);
    return taken;
}

}  // namespace conduit::adapters
