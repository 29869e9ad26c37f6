// The state document of PUT /_emulator/state and --seed-file (issue #25): arbitrary bytes read as
// the route reads them (depth bound, parse), then read_state_document, which checks the shape
// against the real schema of an in-memory database and then every rule of state_rules. Three
// properties beyond "no crash": a refusal is a 1400 whose message starts with a JSON pointer; a
// document the rules accept is one the database accepts too (a storage::Error there means a
// rule is missing, and SQLite's text would reach the client); and what was imported snapshots
// back to a document the rules accept again.
// Two modes, so that accepted documents are not rare: an input starting with '{' (or space) is
// a whole document; any other first byte picks one field of the corpus's valid snapshot, and the
// rest of the input becomes that field's value (as JSON when it parses, else as a string).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/emulator/state_document.hpp"
#include "api/errors.hpp"
#include "api/json_body.hpp"
#include "storage/database.hpp"
#include "storage/state_repository.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz_state_document: %s: %s\n", what, detail.c_str());
    std::abort();
}

// The valid snapshot of the seed corpus, and the path of each of its fields.
struct ValidDocument {
    nlohmann::json document;
    std::vector<nlohmann::json::json_pointer> fields;

    ValidDocument() {
        std::ifstream file(CSR_EMULATOR_FUZZ_VALID_STATE);
        std::stringstream text;
        text << file.rdbuf();
        document = nlohmann::json::parse(text.str(), nullptr, false);
        if (!document.is_object()) fail("no valid state document at", CSR_EMULATOR_FUZZ_VALID_STATE);
        for (const auto& [table, rows] : document.items())
            for (std::size_t r = 0; rows.is_array() && r < rows.size(); ++r)
                for (const auto& [column, value] : rows[r].items())
                    fields.emplace_back("/" + table + "/" + std::to_string(r) + "/" + column);
    }
};

struct Schema {
    storage::Database db{":memory:"};
    storage::StateRepository state{db};
    std::vector<storage::TableSchema> tables = state.schema();
    int version = state.schema_version();
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Schema schema;
    static ValidDocument valid;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    nlohmann::json document;
    if (size > 0 && data[0] != '{' && data[0] != ' ') {
        document = valid.document;
        std::string_view value = text.substr(1);
        auto parsed = api::nesting_depth(value) > api::max_body_depth ? nlohmann::json(nlohmann::json::value_t::discarded)
                                                                       : nlohmann::json::parse(value, nullptr, false);
        // As a string, made valid UTF-8 first: a parsed document never holds anything else.
        if (parsed.is_discarded())
            parsed = nlohmann::json::parse(
                nlohmann::json(std::string(value)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        document[valid.fields[data[0] % valid.fields.size()]] = std::move(parsed);
    } else {
        if (api::nesting_depth(text) > api::max_body_depth) return 0;  // the route refuses it unparsed
        document = nlohmann::json::parse(text, nullptr, false);
        if (document.is_discarded()) return 0;
    }
    std::vector<storage::TableRows> rows;
    try {
        rows = api::emulator::read_state_document(document, schema.tables, schema.version);
    } catch (const api::ApiError& e) {
        const auto& message = e.errors().at(0).message;
        if (e.status() != 400 || e.errors().at(0).code != 1400 || !(message.starts_with("/") || message.starts_with("(document)")))
            fail("a refusal without its JSON pointer", message);
        return 0;
    }
    try {
        schema.state.import_state(rows);
    } catch (const storage::Error& e) {
        fail("the rules accepted what the database refused", e.what());
    }
    auto snapshot = schema.state.snapshot();
    auto again = api::emulator::state_document(snapshot.schema, snapshot.rows, snapshot.schema_version, true);
    try {
        (void)api::emulator::read_state_document(again, schema.tables, schema.version);
    } catch (const api::ApiError& e) {
        fail("a snapshot of accepted state is refused", e.errors().at(0).message);
    }
    return 0;
}
