#include "mime.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <random>

namespace refhost::mime {

namespace {

constexpr std::size_t kLineLimit = 78;       // RFC 5322 2.1.1 "SHOULD"
// Encoded-word lengths (RFC 2047 allows 75) chosen so the first word still fits the first line:
// "Subject: " + 66 and "From: " + 72 stay within 78 characters.
constexpr std::size_t kSubjectWordLength = 66;
constexpr std::size_t kPhraseWordLength = 72;
constexpr std::size_t kPlainTokenLimit = 60;   // longer plain tokens could not be folded
constexpr std::string_view kCrlf = "\r\n";
// An ASCII word of an extra field is never split (it may be a <msg-id>); RFC 5322 allows 998
// characters on a line, name and folding space included.
constexpr std::size_t kLongestHeaderWord = 900;

constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// n random 64-bit values as 16 hex digits each.
std::string randomHex(int n) {
    thread_local std::mt19937_64 rng{[] {
        std::random_device rd;
        return (std::uint64_t(rd()) << 32) ^ rd();
    }()};
    std::string out;
    for (int i = 0; i < n; ++i) {
        char buf[20];
        std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
        out += buf;
    }
    return out;
}

bool isControl(unsigned char c) { return c < 0x20 || c == 0x7F; }

bool isPrintableAscii(std::string_view text) {
    for (unsigned char c : text)
        if (c < 0x20 || c > 0x7E) return false;
    return true;
}

// Length of the UTF-8 sequence a lead byte starts; stray bytes count as one so bad input still
// renders (it just decodes to replacement characters on the other side).
std::size_t utf8SequenceLength(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead & 0xE0) == 0xC0) return 2;
    if ((lead & 0xF0) == 0xE0) return 3;
    if ((lead & 0xF8) == 0xF0) return 4;
    return 1;
}

bool isAtext(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// RFC 2231 attribute-char: what may stay unescaped in an extended parameter value.
bool isAttrChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
}

bool isTokenChar(char c) {
    return c > 0x20 && c < 0x7F && std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string percentEncoded(std::string_view utf8) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : utf8) {
        if (isAttrChar(static_cast<char>(c))) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

// Cuts percent-encoded text into pieces of at most `limit` characters, never inside a %XX triple.
std::vector<std::string> percentChunks(const std::string& encoded, std::size_t limit) {
    std::vector<std::string> chunks;
    std::size_t pos = 0;
    while (pos < encoded.size()) {
        std::size_t end = std::min(pos + limit, encoded.size());
        if (end < encoded.size()) {
            if (end >= 1 && encoded[end - 1] == '%') end -= 1;
            else if (end >= 2 && encoded[end - 2] == '%') end -= 2;
        }
        chunks.push_back(encoded.substr(pos, end - pos));
        pos = end;
    }
    return chunks;
}

// A dot-atom-ish piece of a Message-ID: atext and single inner dots; anything else becomes '-'.
std::string sanitizeIdPart(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '.') {
            if (!out.empty() && out.back() != '.') out += '.';
        } else {
            out += isAtext(c) ? c : '-';
        }
    }
    while (!out.empty() && out.back() == '.') out.pop_back();
    return out;
}

std::string boundary(std::string_view kind) {
    // "=_" cannot occur in base64 text or in our encoded headers, so the boundary never collides
    // with content (every body part is base64).
    return "=_conduit_" + std::string(kind) + "_" + randomHex(1);
}

std::string textPart(std::string_view subtype, std::string_view utf8) {
    return "Content-Type: text/" + std::string(subtype) + "; charset=UTF-8\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\n" + base64Lines(utf8);
}

std::string multipart(std::string_view subtype, std::string_view kind,
                      const std::vector<std::string>& parts) {
    const std::string b = boundary(kind);
    std::string out = foldHeader("Content-Type", {"multipart/" + std::string(subtype) + ";", "boundary=\"" + b + "\""}) + "\r\n";
    out += "This is a multi-part message in MIME format.\r\n";
    for (const auto& part : parts) out += "--" + b + "\r\n" + part;
    return out + "--" + b + "--\r\n";
}

std::string parameterHeader(std::string_view name, std::string_view value, std::string_view paramName,
                            std::string_view paramValue) {
    std::vector<std::string> tokens{std::string(value) + ";"};
    auto params = parameterTokens(paramName, paramValue);
    for (std::size_t i = 0; i < params.size(); ++i)
        tokens.push_back(params[i] + (i + 1 < params.size() ? ";" : ""));
    return foldHeader(name, tokens);
}

std::string attachmentPart(const sdk::MailAttachment& attachment) {
    const std::string fileName = attachment.fileName.empty() ? "attachment" : attachment.fileName;
    return parameterHeader("Content-Type", safeMediaType(attachment.mediaType), "name", fileName) +
           parameterHeader("Content-Disposition", "attachment", "filename", fileName) +
           "Content-Transfer-Encoding: base64\r\n\r\n" + base64Lines(attachment.content);
}

std::string bodyEntity(const sdk::MailMessage& message) {
    std::string body = message.htmlBody.empty()
                           ? textPart("plain", message.textBody)
                           : multipart("alternative", "alt",
                                       {textPart("plain", message.textBody), textPart("html", message.htmlBody)});
    if (message.attachments.empty()) return body;
    std::vector<std::string> parts{std::move(body)};
    for (const auto& attachment : message.attachments) parts.push_back(attachmentPart(attachment));
    return multipart("mixed", "mix", parts);
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Fields the client writes (or a server adds): a plugin's copy would duplicate or contradict them.
bool writtenByClient(std::string_view name) {
    const std::string n = lower(name);
    static constexpr std::array<std::string_view, 12> own{"date", "from", "sender", "to", "cc", "bcc", "subject",
                                                          "message-id", "mime-version", "return-path", "received",
                                                          "content-transfer-encoding"};
    if (std::find(own.begin(), own.end(), n) != own.end()) return true;
    return n.rfind("content-", 0) == 0 || n.rfind("resent-", 0) == 0;
}

std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t space = text.find(' ', start);
        const std::size_t end = space == std::string_view::npos ? text.size() : space;
        if (end > start) out.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

bool needsEncoding(std::string_view word) { return !isPrintableAscii(word) || word.find("=?") != std::string_view::npos; }

std::vector<sdk::MailAddress> usable(const std::vector<sdk::MailAddress>& mailboxes) {
    std::vector<sdk::MailAddress> out;
    for (const auto& m : mailboxes)
        if (!addressProblem(m.address)) out.push_back(m);
    return out;
}

}  // namespace

std::string base64(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t n = (std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16) |
                                (std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                                std::uint32_t(static_cast<unsigned char>(bytes[i + 2]));
        out += kBase64Alphabet[(n >> 18) & 63];
        out += kBase64Alphabet[(n >> 12) & 63];
        out += kBase64Alphabet[(n >> 6) & 63];
        out += kBase64Alphabet[n & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t n = std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16;
        if (rest == 2) n |= std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out += kBase64Alphabet[(n >> 18) & 63];
        out += kBase64Alphabet[(n >> 12) & 63];
        out += rest == 2 ? kBase64Alphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string base64Lines(std::string_view bytes) {
    const std::string flat = base64(bytes);
    std::string out;
    out.reserve(flat.size() + flat.size() / 76 * 2 + 2);
    for (std::size_t pos = 0; pos < flat.size(); pos += 76) {
        out.append(flat, pos, 76);
        out += kCrlf;
    }
    return out;
}

std::string sanitizeHeaderText(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool inControlRun = false;
    for (char c : text) {
        if (isControl(static_cast<unsigned char>(c))) {
            if (!inControlRun) out += ' ';
            inControlRun = true;
        } else {
            out += c;
            inControlRun = false;
        }
    }
    return out;
}

std::vector<std::string> encodedWords(std::string_view utf8, std::size_t maxWordLength) {
    constexpr std::size_t overhead = 12;  // "=?UTF-8?B?" + "?="
    const std::size_t payloadChars = (maxWordLength > overhead + 4 ? maxWordLength - overhead : 4) / 4 * 4;
    const std::size_t maxBytes = payloadChars / 4 * 3;
    std::vector<std::string> words;
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        std::size_t end = pos;
        while (end < utf8.size()) {
            const std::size_t len = std::min(utf8SequenceLength(static_cast<unsigned char>(utf8[end])), utf8.size() - end);
            if (end + len - pos > maxBytes && end > pos) break;
            end += len;
        }
        words.push_back("=?UTF-8?B?" + base64(utf8.substr(pos, end - pos)) + "?=");
        pos = end;
    }
    return words;
}

bool isPlainHeaderText(std::string_view text) {
    if (!isPrintableAscii(text) || text.find("=?") != std::string_view::npos) return false;
    if (!text.empty() && (text.front() == ' ' || text.back() == ' ')) return false;
    if (text.find("  ") != std::string_view::npos) return false;
    std::size_t wordStart = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == ' ') {
            if (i - wordStart > kPlainTokenLimit) return false;
            wordStart = i + 1;
        }
    }
    return true;
}

std::string foldHeader(std::string_view name, const std::vector<std::string>& tokens) {
    std::string out;
    std::string line = std::string(name) + ":";
    bool lineHasToken = false;
    for (const auto& token : tokens) {
        if (lineHasToken && line.size() + 1 + token.size() > kLineLimit) {
            out += line + std::string(kCrlf);
            line.clear();
        }
        line += " " + token;
        lineHasToken = true;
    }
    return out + line + std::string(kCrlf);
}

std::string unstructuredHeader(std::string_view name, std::string_view utf8) {
    const std::string text = sanitizeHeaderText(utf8);
    if (!isPlainHeaderText(text)) return foldHeader(name, encodedWords(text, kSubjectWordLength));
    std::vector<std::string> tokens;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t space = text.find(' ', start);
        const std::size_t end = space == std::string::npos ? text.size() : space;
        tokens.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return foldHeader(name, tokens);
}

std::optional<std::string> addressProblem(std::string_view address) {
    if (address.empty()) return "empty address";
    for (unsigned char c : address) {
        if (c == ' ' || c == '\t') return "address contains a space";
        if (c == '\r' || c == '\n') return "address contains a line break";
        if (c == '<' || c == '>') return "address contains '<' or '>'";
        if (isControl(c)) return "address contains a control character";
    }
    const auto at = address.find('@');
    if (at == std::string_view::npos) return "address has no '@'";
    if (address.find('@', at + 1) != std::string_view::npos) return "address has more than one '@'";
    if (at == 0 || at + 1 == address.size()) return "address needs text on both sides of '@'";
    return std::nullopt;
}

std::vector<std::string> mailboxTokens(const sdk::MailAddress& mailbox) {
    const std::string name = sanitizeHeaderText(mailbox.displayName);
    std::vector<std::string> tokens;
    const bool blank = name.find_first_not_of(' ') == std::string::npos;
    if (!blank) {
        if (isPrintableAscii(name) && name.size() <= kPlainTokenLimit && name.find("=?") == std::string::npos)
            tokens.push_back(quoted(name));
        else
            tokens = encodedWords(name, kPhraseWordLength);
    }
    // The address is validated before sending; sanitising here keeps renderMime safe on its own.
    const std::string address = sanitizeHeaderText(mailbox.address);
    tokens.push_back(blank ? address : "<" + address + ">");
    return tokens;
}

std::string addressListHeader(std::string_view name, const std::vector<sdk::MailAddress>& mailboxes) {
    std::vector<std::string> tokens;
    for (std::size_t i = 0; i < mailboxes.size(); ++i) {
        auto mailbox = mailboxTokens(mailboxes[i]);
        if (i + 1 < mailboxes.size()) mailbox.back() += ",";
        tokens.insert(tokens.end(), mailbox.begin(), mailbox.end());
    }
    return foldHeader(name, tokens);
}

std::vector<std::string> parameterTokens(std::string_view name, std::string_view utf8Value) {
    const std::string value = sanitizeHeaderText(utf8Value);
    if (isPrintableAscii(value) && value.size() <= kPlainTokenLimit)
        return {std::string(name) + "=" + quoted(value)};
    const std::string encoded = percentEncoded(value);
    if (name.size() + encoded.size() <= kPlainTokenLimit)
        return {std::string(name) + "*=UTF-8''" + encoded};
    std::vector<std::string> sections;
    const auto chunks = percentChunks(encoded, 48);
    for (std::size_t i = 0; i < chunks.size(); ++i)
        sections.push_back(std::string(name) + "*" + std::to_string(i) + "*=" + (i == 0 ? "UTF-8''" : "") + chunks[i]);
    return sections;
}

std::optional<std::string> extraHeaderProblem(const sdk::MailHeader& header) {
    const std::string& name = header.name;
    if (name.empty()) return "a header field without a name";
    const std::string shown = sanitizeHeaderText(name);
    for (unsigned char c : name)
        if (c < 33 || c > 126 || c == ':') return "header name '" + shown + "' is not an RFC 5322 field name";
    if (name.size() > kPlainTokenLimit) return "header name '" + shown + "' is longer than " + std::to_string(kPlainTokenLimit) + " characters";
    if (writtenByClient(name)) return "header '" + name + "' is written by the mail client itself";
    const auto tokens = words(sanitizeHeaderText(header.value));
    if (tokens.empty()) return "header '" + name + "' has no value";
    for (const auto& word : tokens)
        if (!needsEncoding(word) && word.size() > kLongestHeaderWord) return "a word of header '" + name + "' is too long to fold";
    return std::nullopt;
}

CheckedHeaders checkHeaders(const sdk::MailHeaders& headers) {
    CheckedHeaders out;
    std::vector<std::string> seen;
    for (const auto& h : headers) {
        if (auto problem = extraHeaderProblem(h)) {
            out.refused.push_back(*problem);
        } else if (std::find(seen.begin(), seen.end(), lower(h.name)) != seen.end()) {
            out.refused.push_back("header '" + h.name + "' given twice: the first is kept");
        } else {
            seen.push_back(lower(h.name));
            out.accepted.push_back(h);
        }
    }
    return out;
}

std::string extraHeader(const sdk::MailHeader& header) {
    std::vector<std::string> tokens;
    std::string run;  // consecutive words that need encoding, encoded together
    auto flush = [&] {
        if (run.empty()) return;
        for (auto& w : encodedWords(run, kSubjectWordLength)) tokens.push_back(std::move(w));
        run.clear();
    };
    for (auto& word : words(sanitizeHeaderText(header.value))) {
        if (needsEncoding(word)) {
            run += (run.empty() ? "" : " ") + word;
            continue;
        }
        flush();
        tokens.push_back(std::move(word));
    }
    flush();
    return foldHeader(header.name, tokens);
}

std::string rfc5322Date(std::chrono::system_clock::time_point when) {
    static constexpr std::array<const char*, 7> days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t t = std::chrono::system_clock::to_time_t(when);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                  months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

std::string uniqueToken() {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    char buf[24];
    std::snprintf(buf, sizeof buf, "%llx.", static_cast<unsigned long long>(micros));
    return buf + randomHex(2);
}

std::string resolveMessageId(std::string_view messageId, std::string_view domain) {
    const auto at = messageId.rfind('@');
    std::string left = sanitizeIdPart(messageId.substr(0, at));
    std::string right = sanitizeIdPart(at == std::string_view::npos ? domain : messageId.substr(at + 1));
    if (left.empty()) left = uniqueToken();
    if (right.empty()) right = sanitizeIdPart(domain).empty() ? "localhost" : sanitizeIdPart(domain);
    return left + "@" + right;
}

std::string safeMediaType(std::string_view mediaType) {
    const auto slash = mediaType.find('/');
    auto allTokenChars = [](std::string_view s) {
        if (s.empty()) return false;
        for (char c : s)
            if (!isTokenChar(c)) return false;
        return true;
    };
    if (slash == std::string_view::npos || !allTokenChars(mediaType.substr(0, slash)) ||
        !allTokenChars(mediaType.substr(slash + 1)))
        return "application/octet-stream";
    return std::string(mediaType);
}

sdk::MailAddress effectiveFrom(const sdk::MailAddress& from, const sdk::MailAddress& defaultFrom) {
    if (!from.address.empty()) return from;
    return {defaultFrom.address, from.displayName.empty() ? defaultFrom.displayName : from.displayName};
}

std::string render(const sdk::MailMessage& message, const sdk::MailAddress& from, std::string_view messageId,
                   std::chrono::system_clock::time_point date, const sdk::MailHeaders& extra) {
    std::string out = "Date: " + rfc5322Date(date) + "\r\n";
    out += addressListHeader("From", {from});
    if (auto to = usable(message.to); !to.empty()) out += addressListHeader("To", to);
    if (auto cc = usable(message.cc); !cc.empty()) out += addressListHeader("Cc", cc);
    out += unstructuredHeader("Subject", message.subject);
    out += "Message-ID: <" + std::string(messageId) + ">\r\n";
    for (const auto& header : checkHeaders(extra).accepted) out += extraHeader(header);
    out += "MIME-Version: 1.0\r\n";
    return out + bodyEntity(message);
}

}  // namespace refhost::mime
