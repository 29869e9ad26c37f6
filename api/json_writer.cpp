#include "api/json_writer.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

namespace api {

// nlohmann's escaping, byte for byte, without its per-byte UTF-8 state machine for ASCII text
// (CSR and certificate PEMs are most of a list's body): an ASCII string is copied in runs between
// the bytes that need escaping; a string with other bytes is left to nlohmann.
void append_json_string(std::string& out, std::string_view text) {
    for (unsigned char c : text)
        if (c >= 0x80) {
            out += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            return;
        }
    out += '"';
    const char* p = text.data();
    const char* end = p + text.size();
    const char* run = p;
    static constexpr char hex[] = "0123456789abcdef";
    for (; p != end; ++p) {
        unsigned char c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(run, p);
        run = p + 1;
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
