// The MIME renderer's rules one by one, judged by Python's email package where parsing matters.
#include "mail_test_util.hpp"

#include <mime.hpp>

#include <gtest/gtest.h>

#include <set>

using namespace mailtest;
namespace mime = refhost::mime;

namespace {

std::string decodeBase64(std::string_view text) {
    static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        const auto pos = alphabet.find(c);
        if (pos == std::string::npos) continue;  // '=', CR, LF
        buffer = (buffer << 6) | static_cast<unsigned>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

bool isValidUtf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += len;
    }
    return true;
}

std::string repeatToLength(const std::string& unit, std::size_t codePoints) {
    std::string out;
    std::size_t count = 0;
    while (count < codePoints) {
        for (std::size_t i = 0; i < unit.size() && count < codePoints;) {
            const auto c = static_cast<unsigned char>(unit[i]);
            const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
            out += unit.substr(i, len);
            i += len;
            ++count;
        }
    }
    return out;
}

}  // namespace

TEST(Mime, Base64MatchesKnownVectorsAndWrapsAt76) {
    EXPECT_EQ(mime::base64(""), "");
    EXPECT_EQ(mime::base64("f"), "Zg==");
    EXPECT_EQ(mime::base64("fo"), "Zm8=");
    EXPECT_EQ(mime::base64("foo"), "Zm9v");
    EXPECT_EQ(mime::base64("foobar"), "Zm9vYmFy");
    const std::string bytes = allByteValues();
    const std::string lines = mime::base64Lines(bytes);
    std::size_t start = 0;
    while (start < lines.size()) {
        const auto end = lines.find("\r\n", start);
        ASSERT_NE(end, std::string::npos);
        EXPECT_LE(end - start, 76u);
        start = end + 2;
    }
    EXPECT_EQ(decodeBase64(lines), bytes);
}

TEST(Mime, EncodedWordsStayShortAndNeverSplitACharacter) {
    for (const std::string& text : {std::string("Монтаж окон: Щербаков Фёдор"), std::string("Zażółć gęślą jaźń"),
                                   repeatToLength("ąЖ€😀a", 200)}) {
        for (std::size_t limit : {75u, 64u, 20u}) {
            std::string joined;
            for (const auto& word : mime::encodedWords(text, limit)) {
                EXPECT_LE(word.size(), limit);
                ASSERT_EQ(word.rfind("=?UTF-8?B?", 0), 0u);
                ASSERT_EQ(word.substr(word.size() - 2), "?=");
                const std::string decoded = decodeBase64(word.substr(10, word.size() - 12));
                EXPECT_TRUE(isValidUtf8(decoded)) << word;
                joined += decoded;
            }
            EXPECT_EQ(joined, text);
        }
    }
}

TEST(Mime, HeaderTextCannotStartANewLine) {
    EXPECT_EQ(mime::sanitizeHeaderText("x\r\nBcc: evil@x"), "x Bcc: evil@x");
    EXPECT_EQ(mime::sanitizeHeaderText("a\nb\rc\r\n\r\nd"), "a b c d");
    const std::string header = mime::unstructuredHeader("Subject", "x\r\nBcc: evil@x");
    EXPECT_EQ(header, "Subject: x Bcc: evil@x\r\n");
}

TEST(Mime, AddressCheckIsMinimalButStrict) {
    EXPECT_FALSE(mime::addressProblem("jan.kowalski@example.pl"));
    EXPECT_FALSE(mime::addressProblem("a@b"));
    for (const char* bad : {"", "no-at-sign", "two@@example.pl", "a@b@c", "@example.pl", "jan@", "jan kowalski@example.pl",
                            "jan@example.pl\r\nBcc: x@y", "<jan@example.pl>", "jan\t@example.pl"})
        EXPECT_TRUE(mime::addressProblem(bad)) << bad;
}

TEST(Mime, ParseSmtpAddressAcceptsHostPortForms) {
    auto s = refhost::parseSmtpAddress("localhost:2525");
    EXPECT_EQ(s.host, "localhost");
    EXPECT_EQ(s.port, 2525);
    s = refhost::parseSmtpAddress("[::1]:587");
    EXPECT_EQ(s.host, "::1");
    EXPECT_EQ(s.port, 587);
    s = refhost::parseSmtpAddress("smtp://mail.example.pl:25");
    EXPECT_EQ(s.host, "mail.example.pl");
    s = refhost::parseSmtpAddress("mail.example.pl");
    EXPECT_EQ(s.port, 25);
    for (const char* bad : {"", ":25", "host:", "host:abc", "host:0", "host:70000", "::1:25", "[::1", "ho st:25"})
        EXPECT_THROW(refhost::parseSmtpAddress(bad), std::invalid_argument) << bad;
}

TEST(Mime, MessageIdIsTheGivenOneOrUnique) {
    EXPECT_EQ(mime::resolveMessageId("notif-42", "conduit.local"), "notif-42@conduit.local");
    EXPECT_EQ(mime::resolveMessageId("n.7@crm.example.pl", "conduit.local"), "n.7@crm.example.pl");
    EXPECT_EQ(mime::resolveMessageId("a b<c>", "conduit.local"), "a-b-c-@conduit.local");
    std::set<std::string> ids;
    for (int i = 0; i < 1000; ++i) ids.insert(mime::resolveMessageId("", "conduit.local"));
    EXPECT_EQ(ids.size(), 1000u);
}

TEST(Mime, UnicodeSampleParsesExactlyInPython) {
    const auto m = unicodeSample("mime-unit-1");
    const std::string rendered = refhost::renderMime(m, {"crm@conduit.local", "Conduit CRM"}, "conduit.local");
    EXPECT_NE(rendered.find("filename*=UTF-8''szkic_pomiar%C3%B3w.png"), std::string::npos);
    const auto j = checkMimeBytes(rendered);
    EXPECT_EQ(j["defects"].size(), 0u) << j["defects"].dump();
    EXPECT_EQ(j["subject"], m.subject);
    EXPECT_EQ(j["message_id"], "<mime-unit-1@conduit.local>");
    EXPECT_EQ(j["mime_version"], "1.0");
    EXPECT_EQ(j["content_type"], "multipart/mixed");
    EXPECT_EQ(j["from"][0]["name"], "Józef Łukasiewicz");
    EXPECT_EQ(j["to"][0]["name"], "Zażółć gęślą jaźń");
    EXPECT_EQ(j["to"][1]["name"], "Щербаков Фёдор");
    EXPECT_EQ(j["cc"][0]["address"], "biuro@example.pl");
    EXPECT_EQ(j["text"], m.textBody);
    EXPECT_EQ(j["html"], m.htmlBody);
    ASSERT_EQ(j["attachments"].size(), 2u);
    EXPECT_EQ(j["attachments"][1]["filename"], "szkic_pomiarów.png");
    EXPECT_EQ(j["attachments"][1]["hex"], hex(m.attachments[1].content));
    EXPECT_TRUE(j["ascii_only"]);
    EXPECT_EQ(j["bare_line_breaks"], 0);
    EXPECT_LE(j["max_line_length"].get<int>(), 78);
}

TEST(Mime, TextOnlyMessageIsASinglePart) {
    sdk::MailMessage m;
    m.to = {{"jan@example.pl", "Jan Kowalski"}};
    m.subject = "Plain subject";
    m.textBody = "Just text.\n";
    const auto j = checkMimeBytes(refhost::renderMime(m, {"crm@conduit.local", "Conduit CRM"}, "conduit.local"));
    EXPECT_EQ(j["content_type"], "text/plain");
    EXPECT_EQ(j["subject"], "Plain subject");
    EXPECT_EQ(j["text"], m.textBody);
    EXPECT_EQ(j["from"][0]["address"], "crm@conduit.local");
    EXPECT_EQ(j["from"][0]["name"], "Conduit CRM");
    EXPECT_EQ(j["defects"].size(), 0u);
}

TEST(Mime, HtmlWithoutAttachmentsIsAlternative) {
    sdk::MailMessage m;
    m.to = {{"jan@example.pl", ""}};
    m.textBody = "t";
    m.htmlBody = "<b>t</b>";
    const auto j = checkMimeBytes(refhost::renderMime(m, {"crm@conduit.local", ""}, "conduit.local"));
    EXPECT_EQ(j["content_type"], "multipart/alternative");
    EXPECT_EQ(j["html"], "<b>t</b>");
    EXPECT_EQ(j["subject"], "");
}

TEST(Mime, QuotesAndLongNamesRoundTrip) {
    sdk::MailMessage m;
    const std::string quotedName = "Kowalski \"Kowal\" \\ Jan, Sp. z o.o.";
    const std::string longName = repeatToLength("Łukasiewicz-Щербаков ", 120);
    const std::string longFile = repeatToLength("protokół_odbioru_Щ_", 150) + ".pdf";
    m.to = {{"a@example.pl", quotedName}, {"b@example.pl", longName}};
    m.subject = "=?not an encoded word?=";
    m.textBody = "x";
    m.attachments = {{longFile, "application/pdf", "%PDF"}, {"plain.txt", "bad type\r\nX: y", "abc"}};
    const auto j = checkMimeBytes(refhost::renderMime(m, {"crm@conduit.local", ""}, "conduit.local"));
    EXPECT_EQ(j["to"][0]["name"], quotedName);
    EXPECT_EQ(j["to"][1]["name_rfc2047"], longName);  // see mime_check.py on CPython's reading
    EXPECT_EQ(j["subject"], m.subject);
    EXPECT_EQ(j["attachments"][0]["filename"], longFile);
    EXPECT_EQ(j["attachments"][1]["content_type"], "application/octet-stream");
    EXPECT_LE(j["max_line_length"].get<int>(), 78);
    EXPECT_EQ(j["defects"].size(), 0u) << j["defects"].dump();
}

TEST(Mime, LongMixedCyrillicSubjectRoundTrips) {
    sdk::MailMessage m;
    m.to = {{"jan@example.pl", ""}};
    m.subject = repeatToLength("Замер окон 12 ok, Щербаков: ", 300);
    m.textBody = "x";
    const auto j = checkMimeBytes(refhost::renderMime(m, {"crm@conduit.local", ""}, "conduit.local"));
    EXPECT_EQ(j["subject"], m.subject);
    EXPECT_LE(j["max_line_length"].get<int>(), 78);
}

namespace {

sdk::MailMessage plainMessage() {
    sdk::MailMessage m;
    m.messageId = "notify-7.crm-x@conduit.local";
    m.to = {{"jan@example.pl", ""}};
    m.subject = "Wpłata";
    m.textBody = "x";
    return m;
}

}  // namespace

TEST(Mime, ExtraHeaderFieldsAreCheckedFoldedAndEncoded) {
    const std::string root = "<project-1043.crm-0123456789ab@conduit.local>";
    const std::string list = "Уведомления Conduit CRM и всё остальное <notifications.crm-0123456789ab.conduit.local>";
    const sdk::MailHeaders headers{
        {"Auto-Submitted", "auto-generated"},
        {"List-Id", list},
        {"References", root},
        {"Thread-Topic", "P-2026-0043 «Okna w domu» " + repeatToLength("Zażółć gęślą jaźń ", 80)},
        {"X-Injected", "a\r\nBcc: evil@x"},
        {"Bad Name", "x"},
        {"Subj:ect", "x"},
        {"subject", "another subject"},
        {"Content-Type", "text/html"},
        {"references", "<other@conduit.local>"},
        {"X-Empty", " \r\n "},
    };
    const auto checked = mime::checkHeaders(headers);
    ASSERT_EQ(checked.accepted.size(), 5u);
    ASSERT_EQ(checked.refused.size(), 6u);
    EXPECT_EQ(checked.refused[0], "header name 'Bad Name' is not an RFC 5322 field name");
    EXPECT_EQ(checked.refused[2], "header 'subject' is written by the mail client itself");
    EXPECT_EQ(checked.refused[4], "header 'references' given twice: the first is kept");
    EXPECT_EQ(checked.refused[5], "header 'X-Empty' has no value");

    const std::string rendered = refhost::renderMime(plainMessage(), {"crm@conduit.local", ""}, "conduit.local", headers);
    // The message id is never encoded or split: a reader must find it as it is.
    EXPECT_NE(rendered.find("\r\nReferences: " + root + "\r\n"), std::string::npos) << rendered;
    const auto j = checkMimeBytes(rendered);
    EXPECT_EQ(j["defects"].size(), 0u) << j["defects"].dump();
    const auto& fields = j["fields"];
    EXPECT_EQ(fields["auto-submitted"], nlohmann::json::array({"auto-generated"}));
    EXPECT_EQ(fields["list-id"], nlohmann::json::array({list}));
    EXPECT_EQ(fields["references"], nlohmann::json::array({root}));
    EXPECT_EQ(fields["thread-topic"], nlohmann::json::array({headers[3].value})) << j["raw_headers"];
    EXPECT_EQ(fields["x-injected"], nlohmann::json::array({"a Bcc: evil@x"}));
    for (const char* absent : {"bcc", "bad name", "x-empty"}) EXPECT_FALSE(fields.contains(absent)) << absent;
    EXPECT_EQ(fields["subject"], nlohmann::json::array({"Wpłata"}));
    EXPECT_EQ(j["content_type"], "text/plain");
    EXPECT_TRUE(j["ascii_only"]);
    EXPECT_EQ(j["bare_line_breaks"], 0);
    EXPECT_LE(j["max_line_length"].get<int>(), 78) << j["raw_headers"];
}

TEST(Mime, AnUnfoldableWordIsRefusedNotSplit) {
    const sdk::MailHeader longId{"References", "<" + std::string(950, 'a') + "@conduit.local>"};
    EXPECT_EQ(mime::extraHeaderProblem(longId), "a word of header 'References' is too long to fold");
    const sdk::MailHeader longName{std::string(61, 'X'), "v"};
    EXPECT_TRUE(mime::extraHeaderProblem(longName).has_value());
    const auto rendered = refhost::renderMime(plainMessage(), {"crm@conduit.local", ""}, "conduit.local", {longId});
    EXPECT_EQ(rendered.find("References:"), std::string::npos);
}
