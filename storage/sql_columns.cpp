#include "storage/sql_columns.hpp"

namespace storage::sql {

std::string placeholders(std::size_t first, std::size_t count) {
    std::string text;
    for (std::size_t i = first; i < first + count; ++i) {
        if (!text.empty()) text += ", ";
        text += "?" + std::to_string(i);
    }
    return text;
}

}  // namespace storage::sql
