#include "api/json_writer.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>

#include <nlohmann/json.hpp>

namespace api {

// nlohmann's escaping, byte for byte, without its per-byte UTF-8 state machine for ASCII text
// (CSR and certificate PEMs are most of a list's body): an ASCII string is copied in runs between
// the bytes that need escaping; a string with other bytes is left to nlohmann.
namespace {

constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;

// Whether any of the 8 bytes of `w` needs attention: a control byte (< 0x20), '"', '\\', or a
// byte >= 0x80 (not ASCII). The usual bit tricks: a byte is zero iff (v - 1) & ~v has its high bit.
bool special(std::uint64_t w) {
    auto zero_byte = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    return ((w | ((w - ones * 0x20) & ~w)) & highs) | zero_byte(w ^ (ones * '"')) | zero_byte(w ^ (ones * '\\'));
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
    const std::size_t start = out.size();
    out.reserve(start + text.size() + 2);
    out += '"';
    const char* p = text.data();
    const char* end = p + text.size();
    const char* run = p;
    static constexpr char hex[] = "0123456789abcdef";
    while (p != end) {
        if (end - p >= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, 8);
            if (!special(w)) {
                p += 8;
                continue;
            }
        }
        unsigned char c = static_cast<unsigned char>(*p);
        if (c >= 0x80) {
            // Not ASCII: nlohmann's own escaper (UTF-8 checks, invalid bytes replaced).
            out.resize(start);
            out += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            return;
        }
        ++p;
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(run, p - 1);
        run = p;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default: {
                char u[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
                out.append(u, sizeof u);
            }
        }
    }
    out.append(run, end);
    out += '"';
}

JsonWriter& JsonWriter::number(std::int64_t value) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    return literal(std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

}  // namespace api
