#pragma once
// JSON written straight into a string, in the bytes api::dump_json writes for the same value
// (nlohmann's dump(-1) with invalid UTF-8 replaced). The caller writes an object's keys in
// sorted order, as nlohmann's std::map keeps them. For the hot responses (a list of CSRs), which
// would otherwise build a tree of maps only to serialize it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace api {

// A JSON string literal, escaped as nlohmann's dump escapes it.
void append_json_string(std::string& out, std::string_view text);

class JsonWriter {
public:
    explicit JsonWriter(std::string& out) : out_(out) {}

    JsonWriter& begin_object() { return open('{'); }
    JsonWriter& end_object() { return close('}'); }
    JsonWriter& begin_array() { return open('['); }
    JsonWriter& end_array() { return close(']'); }

    JsonWriter& key(std::string_view name) {
        separate();
        append_json_string(out_, name);
        out_ += ':';
        need_comma_ = false;
        return *this;
    }
    JsonWriter& string(std::string_view text) {
        separate();
        append_json_string(out_, text);
        need_comma_ = true;
        return *this;
    }
    JsonWriter& number(std::int64_t value);
    JsonWriter& boolean(bool value) { return literal(value ? "true" : "false"); }
    JsonWriter& null() { return literal("null"); }
    JsonWriter& strings(const std::vector<std::string>& items) {
        begin_array();
        for (const auto& item : items) string(item);
        return end_array();
    }
    // A value already serialized by dump_json or another writer.
    JsonWriter& raw(std::string_view json) { return literal(json); }

private:
    void separate() {
        if (need_comma_) out_ += ',';
    }
    JsonWriter& open(char bracket) {
        separate();
        out_ += bracket;
        need_comma_ = false;
        return *this;
    }
    JsonWriter& close(char bracket) {
        out_ += bracket;
        need_comma_ = true;
        return *this;
    }
    JsonWriter& literal(std::string_view text) {
        separate();
        out_ += text;
        need_comma_ = true;
        return *this;
    }

    std::string& out_;
    bool need_comma_ = false;
};

}  // namespace api
