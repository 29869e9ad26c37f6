#include <nlohmann/json.hpp>
#include "api/emulator/state_document.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "api/emulator/control_errors.hpp"
#include "api/emulator/state_rules.hpp"

namespace api::emulator {
namespace {

// The one child table shown inside its parent rather than as rows of its own.
struct NestedList {
    std::string_view table = "custom_csr_sans", parent = "custom_csrs";
    std::string_view link = "csr_id", parent_key = "id", order = "position", value = "san", field = "sans";
};
constexpr NestedList sans;

bool is_private_key(std::string_view column) { return column.find("private_key") != std::string_view::npos; }

nlohmann::json json_of(const storage::Value& value) {
    if (auto* n = std::get_if<std::int64_t>(&value)) return *n;
    if (auto* s = std::get_if<std::string>(&value)) return *s;
    return nullptr;
}

std::size_t index_of(const std::vector<std::string>& columns, std::string_view name) {
    return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin());
}

const storage::TableRows* rows_of(const std::vector<storage::TableRows>& tables, std::string_view name) {
    for (const auto& t : tables)
        if (t.table == name) return &t;
    return nullptr;
}

}  // namespace

nlohmann::json state_document(const std::vector<storage::TableSchema>& schema,
                              const std::vector<storage::TableRows>& tables, int schema_version,
                              bool include_private_keys) {
    nlohmann::json document = {{"schema_version", schema_version}};
    // SANs by CSR id, in position order (the export is in primary-key order).
    std::map<std::string, nlohmann::json> nested;
    if (const auto* list = rows_of(tables, sans.table)) {
        auto link = index_of(list->columns, sans.link), value = index_of(list->columns, sans.value);
        for (const auto& row : list->rows) nested[std::get<std::string>(row[link])].push_back(json_of(row[value]));
    }
    for (const auto& table : schema) {
        if (table.name == sans.table) continue;
        const auto* rows = rows_of(tables, table.name);
        nlohmann::json items = nlohmann::json::array();
        for (std::size_t r = 0; rows && r < rows->rows.size(); ++r) {
            nlohmann::json item = nlohmann::json::object();
            for (std::size_t c = 0; c < rows->columns.size(); ++c)
                if (include_private_keys || !is_private_key(rows->columns[c]))
                    item[rows->columns[c]] = json_of(rows->rows[r][c]);
            if (table.name == sans.parent) {
                auto found = nested.find(item[std::string(sans.parent_key)].get<std::string>());
                item[std::string(sans.field)] = found == nested.end() ? nlohmann::json::array() : found->second;
            }
            items.push_back(std::move(item));
        }
        document[table.name] = std::move(items);
    }
    return document;
}

std::vector<storage::TableRows> read_state_document(const nlohmann::json& document,
                                                    const std::vector<storage::TableSchema>& schema,
                                                    int schema_version) {
    if (!document.is_object()) refuse_at("", "the state document must be a JSON object");
    auto known_table = [&](const std::string& name) {
        return name != sans.table &&
               std::any_of(schema.begin(), schema.end(), [&](const auto& t) { return t.name == name; });
    };
    for (const auto& [key, value] : document.items()) {
        if (key == "schema_version") {
            if (!value.is_number_integer() || value.get<std::int64_t>() != schema_version)
                refuse_at("/schema_version", "this emulator reads schema_version " + std::to_string(schema_version));
        } else if (!known_table(key)) {
            refuse_at("/" + key, "unknown table");
        } else if (!value.is_array()) {
            refuse_at("/" + key, "must be an array of rows");
        }
    }

    std::vector<storage::TableRows> out;
    storage::TableRows nested{std::string(sans.table), {std::string(sans.link), std::string(sans.order), std::string(sans.value)}, {}};
    // Values of every column, per table, for the foreign-key pass.
    std::map<std::string, std::map<std::string, std::set<std::string>>> seen;
    // Pass 1: shape and types of each row, parents before children.
    for (const auto& table : schema) {
        if (table.name == sans.table) continue;
        storage::TableRows rows{table.name, {}, {}};
        for (const auto& column : table.columns) rows.columns.push_back(column.name);
        auto primary = std::find_if(table.columns.begin(), table.columns.end(), [](const auto& c) { return c.primary_key == 1; });
        std::map<std::string, std::size_t> first_with_key;
        const auto items = document.contains(table.name) ? document[table.name] : nlohmann::json::array();
        for (std::size_t r = 0; r < items.size(); ++r) {
            const auto& item = items[r];
            const std::string at = "/" + table.name + "/" + std::to_string(r);
            if (!item.is_object()) refuse_at(at, "must be an object");
            for (const auto& field : item.items()) {
                const std::string& key = field.key();  // a plain name: clang-14 cannot capture bindings
                if (!(table.name == sans.parent && key == sans.field) &&
                    std::none_of(table.columns.begin(), table.columns.end(), [&](const auto& c) { return c.name == key; }))
                    refuse_at(at + "/" + key, "unknown field");
            }
            std::vector<storage::Value> row;
            for (const auto& column : table.columns) {
                const std::string field_at = at + "/" + column.name;
                if (!item.contains(column.name) || item[column.name].is_null()) {
                    if (column.not_null)
                        refuse_at(field_at, is_private_key(column.name)
                                             ? "is required: take the snapshot with include_private_keys=true"
                                             : "is required");
                    row.emplace_back(std::monostate{});
                    continue;
                }
                const auto& value = item[column.name];
                if (column.is_integer) {
                    if (!value.is_number_integer()) refuse_at(field_at, "must be an integer");
                    // nlohmann reads 2^63 and above as unsigned; as int64 it would wrap to a negative.
                    if (value.is_number_unsigned() && value.get<std::uint64_t>() > INT64_MAX)
                        refuse_at(field_at, "must be an integer from -2^63 to 2^63 - 1");
                    row.emplace_back(value.get<std::int64_t>());
                    seen[table.name][column.name].insert(std::to_string(value.get<std::int64_t>()));
                } else {
                    if (!value.is_string()) refuse_at(field_at, "must be a string");
                    row.emplace_back(value.get<std::string>());
                    seen[table.name][column.name].insert(value.get<std::string>());
                }
            }
            if (primary != table.columns.end() && table.columns.size() > 0) {
                auto key = item[primary->name].dump();
                auto [it, fresh] = first_with_key.emplace(key, r);
                if (!fresh)
                    refuse_at(at + "/" + primary->name, "duplicates /" + table.name + "/" + std::to_string(it->second));
            }
            if (table.name == sans.parent && item.contains(sans.field)) {
                const auto& list = item[std::string(sans.field)];
                const std::string list_at = at + "/" + std::string(sans.field);
                if (!list.is_array()) refuse_at(list_at, "must be an array of strings");
                for (std::size_t i = 0; i < list.size(); ++i) {
                    if (!list[i].is_string()) refuse_at(list_at + "/" + std::to_string(i), "must be a string");
                    nested.rows.push_back({item[std::string(sans.parent_key)].get<std::string>(),
                                           static_cast<std::int64_t>(i), list[i].get<std::string>()});
                }
            }
            rows.rows.push_back(std::move(row));
        }
        out.push_back(std::move(rows));
    }
    // Pass 2: every reference points at a row of the same document.
    for (const auto& table : schema) {
        if (table.name == sans.table) continue;
        const auto& rows = *rows_of(out, table.name);
        for (const auto& key : table.foreign_keys) {
            auto column = index_of(rows.columns, key.column);
            const auto& targets = seen[key.parent_table][key.parent_column];
            for (std::size_t r = 0; r < rows.rows.size(); ++r) {
                const auto& value = rows.rows[r][column];
                if (std::holds_alternative<std::monostate>(value)) continue;
                auto text = std::holds_alternative<std::string>(value) ? std::get<std::string>(value)
                                                                       : std::to_string(std::get<std::int64_t>(value));
                if (!targets.contains(text))
                    refuse_at("/" + table.name + "/" + std::to_string(r) + "/" + key.column,
                           "no " + key.parent_table + " row with " + key.parent_column + " " + text);
            }
        }
    }
    out.push_back(std::move(nested));
    // Pass 3: what the rows mean, as strictly as the API checks the same data.
    check_state_rules(out);
    return out;
}

}  // namespace api::emulator
