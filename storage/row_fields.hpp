#pragma once
// A row struct's columns, each named once with the member it holds: reading a row and binding
// one walk the same list, so the column order, the reads and the binds cannot disagree (and a
// repository does not spell its row out three times). Columns whose value is not a plain member
// (a certificate's parsed columns, JSON kept as text) stay with the repository's own code.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "storage/database.hpp"
#include "storage/sql_columns.hpp"

namespace storage::sql {

template <class Row>
struct Field {
    std::string_view column;
    std::variant<std::string Row::*, std::optional<std::string> Row::*, std::int64_t Row::*, bool Row::*> member;
};

template <class Row, std::size_t N>
using Fields = std::array<Field<Row>, N>;

template <class Row, std::size_t N>
constexpr Columns<N> columns_of(const Fields<Row, N>& fields) {
    Columns<N> columns{};
    for (std::size_t i = 0; i < N; ++i) columns[i] = fields[i].column;
    return columns;
}

// Binds each field of `row` to the parameter of its position, from ?first on (booleans as 0/1).
template <class Row, std::size_t N>
void bind_fields(Statement& s, const Row& row, const Fields<Row, N>& fields, int first = 1) {
    for (std::size_t i = 0; i < N; ++i) {
        int parameter = first + static_cast<int>(i);
        std::visit(
            [&](auto member) {
                const auto& value = row.*member;
                if constexpr (std::is_same_v<std::remove_cvref_t<decltype(value)>, bool>)
                    s.bind(parameter, std::int64_t{value ? 1 : 0});
                else
                    s.bind(parameter, value);
            },
            fields[i].member);
    }
}

// Reads `fields` from the statement's current row, where they are the columns from `first` on.
template <class Row, std::size_t N>
void read_fields(const Statement& s, Row& row, const Fields<Row, N>& fields, int first = 0) {
    for (std::size_t i = 0; i < N; ++i) {
        int column = first + static_cast<int>(i);
        std::visit(
            [&](auto member) {
                auto& value = row.*member;
                using Value = std::remove_cvref_t<decltype(value)>;
                if constexpr (std::is_same_v<Value, std::string>) value = s.text(column);
                else if constexpr (std::is_same_v<Value, std::optional<std::string>>) value = s.optional_text(column);
                else if constexpr (std::is_same_v<Value, std::int64_t>) value = s.integer(column);
                else value = s.integer(column) != 0;
            },
            fields[i].member);
    }
}

template <class Row, std::size_t N>
Row read_row(const Statement& s, const Fields<Row, N>& fields) {
    Row row{};
    read_fields(s, row, fields);
    return row;
}

// The first row a statement gives, read by `read`; none when it gives none.
template <class Read>
auto first_row(Statement& s, Read read) -> std::optional<decltype(read(s))> {
    if (!s.step()) return std::nullopt;
    return read(s);
}

// Every row a statement gives, read by `read`.
template <class Read>
auto all_rows(Statement& s, Read read) -> std::vector<decltype(read(s))> {
    std::vector<decltype(read(s))> rows;
    while (s.step()) rows.push_back(read(s));
    return rows;
}

}  // namespace storage::sql
