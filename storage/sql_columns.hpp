#pragma once
// A table's columns listed once, in a constexpr array; the SQL column list, the placeholders and
// the SET list are rendered from it, and a column's index (for reading) and parameter number
// (for binding) are looked up by name at compile time, so nothing is counted by hand.
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace storage::sql {

template <std::size_t N>
using Columns = std::array<std::string_view, N>;

template <std::size_t A, std::size_t B>
constexpr Columns<A + B> concat(const Columns<A>& first, const Columns<B>& second) {
    Columns<A + B> all{};
    for (std::size_t i = 0; i < A; ++i) all[i] = first[i];
    for (std::size_t i = 0; i < B; ++i) all[A + i] = second[i];
    return all;
}

// consteval: a misspelt name fails the build instead of binding the wrong parameter.
template <std::size_t N>
consteval int index_of(const Columns<N>& columns, std::string_view name) {
    for (std::size_t i = 0; i < N; ++i)
        if (columns[i] == name) return static_cast<int>(i);
    throw std::logic_error("no such column");
}

// Parameters are numbered (?1, ?2, …) after the column's position, so an INSERT and an UPDATE
// built from the same list bind the same way.
template <std::size_t N>
consteval int parameter_of(const Columns<N>& columns, std::string_view name) {
    return index_of(columns, name) + 1;
}

// "a, b, c"
template <std::size_t N>
std::string list(const Columns<N>& columns) {
    std::string text;
    for (std::string_view column : columns) {
        if (!text.empty()) text += ", ";
        text += column;
    }
    return text;
}

// "?1, ?2, …, ?n"
std::string placeholders(std::size_t first, std::size_t count);

template <std::size_t N>
std::string placeholders(const Columns<N>&) {
    return placeholders(1, N);
}

// "c = ?3, d = ?4": every column from `first` on (the ones before are the row's key).
template <std::size_t N>
std::string assignments(const Columns<N>& columns, std::size_t first) {
    std::string text;
    for (std::size_t i = first; i < N; ++i) {
        if (!text.empty()) text += ", ";
        text += std::string(columns[i]) + " = ?" + std::to_string(i + 1);
    }
    return text;
}

// "SELECT a, b FROM table"
template <std::size_t N>
std::string select(std::string_view table, const Columns<N>& columns) {
    return "SELECT " + list(columns) + " FROM " + std::string(table);
}

// "INSERT INTO table (a, b) VALUES (?1, ?2)"
template <std::size_t N>
std::string insert(std::string_view table, const Columns<N>& columns) {
    return "INSERT INTO " + std::string(table) + " (" + list(columns) + ") VALUES (" + placeholders(columns) + ")";
}

}  // namespace storage::sql
