// The state document of PUT /_emulator/state and --seed-file (issue #25): arbitrary bytes read as
// the route reads them (depth bound, parse), then read_state_document, which checks the shape
// against the real schema of an in-memory database and then every rule of state_rules. Three
// properties beyond "no crash": a refusal is a 1400 whose message starts with a JSON pointer; a
// document the rules accept is one the database accepts too (a storage::Error there means a
// rule is missing, and SQLite's text would reach the client); and what was imported snapshots
// back to a document the rules accept again.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
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

struct Schema {
    storage::Database db{":memory:"};
    storage::StateRepository state{db};
    std::vector<storage::TableSchema> tables = state.schema();
    int version = state.schema_version();
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Schema schema;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    if (api::nesting_depth(text) > api::max_body_depth) return 0;  // the route refuses it unparsed
    auto document = nlohmann::json::parse(text, nullptr, false);
    if (document.is_discarded()) return 0;
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
