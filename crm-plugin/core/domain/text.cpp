#include "domain/text.hpp"

namespace conduit::crm {

std::size_t utf8Length(std::string_view text) {
    std::size_t n = 0;
    for (unsigned char c : text) n += (c & 0xC0) != 0x80;
    return n;
}

std::string utf8Prefix(std::string_view text, std::size_t chars) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && n++ == chars) return std::string(text.substr(0, i));
    return std::string(text);
}

std::string utf8Shorten(std::string_view text, std::size_t chars) {
    if (chars == 0) return {};
    if (utf8Length(text) <= chars) return std::string(text);
    return utf8Prefix(text, chars - 1) + "…";
}

}  // namespace conduit::crm
