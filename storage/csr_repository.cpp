#include "storage/csr_repository.hpp"

#include <algorithm>
#include <unordered_map>

#include "storage/csr_lookup.hpp"
#include "storage/database.hpp"
#include "storage/ordered_list.hpp"
#include "storage/row_fields.hpp"

namespace storage {
namespace {

// What a CSR row shows; the private key is written with it but never read back here.
// The scope (an enum, stored as its name) follows the plain fields.
constexpr sql::Fields<CustomCsr, 13> fields{{{"id", &CustomCsr::id}, {"scope_id", &CustomCsr::scope_id},
    {"created_at", &CustomCsr::created_at}, {"key_type", &CustomCsr::key_type}, {"country", &CustomCsr::country},
    {"state", &CustomCsr::state}, {"locality", &CustomCsr::locality}, {"organization", &CustomCsr::organization},
    {"organizational_unit", &CustomCsr::organizational_unit}, {"common_name", &CustomCsr::common_name},
    {"name", &CustomCsr::name}, {"description", &CustomCsr::description}, {"csr_pem", &CustomCsr::csr_pem}}};
constexpr auto columns = sql::concat(sql::columns_of(fields), sql::Columns<1>{"scope"});
constexpr auto insert_columns = sql::concat(columns, sql::Columns<2>{"private_key_pem", "shown_json"});

consteval int col(std::string_view name) { return sql::index_of(columns, name); }
consteval int param(std::string_view name) { return sql::parameter_of(insert_columns, name); }

const std::string select_sql = sql::select("custom_csrs", columns);
const std::string insert_sql = sql::insert("custom_csrs", insert_columns);

CustomCsr read_row(const Statement& s) {
    CustomCsr csr;
    sql::read_fields(s, csr, fields);
    csr.scope = s.text(col("scope")) == "account" ? Scope::account : Scope::zone;
    return csr;
}

void bind_row(Statement& s, const CustomCsr& csr, const std::string& private_key_pem, const std::string& shown_json) {
    if (shown_json.empty()) s.bind_null(param("shown_json"));
    else s.bind(param("shown_json"), shown_json);
    sql::bind_fields(s, csr, fields);
    s.bind(param("scope"), scope_name(csr.scope))
        .bind(param("private_key_pem"), s.database().seal_key(private_key_pem, "custom_csrs", "private_key_pem", csr.id));
}

}  // namespace

const char* scope_name(Scope scope) { return scope == Scope::account ? "account" : "zone"; }

void CsrRepository::insert(const CustomCsr& csr, const std::string& private_key_pem, const std::string& shown_json) {
    auto lock = db_.lock();
    Transaction tx(db_);
    {
        auto s = statements_.use(insert_sql);
        bind_row(*s, csr, private_key_pem, shown_json);
        s->run();
    }
    auto san = statements_.use("INSERT INTO custom_csr_sans (csr_id, position, san) VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < csr.sans.size(); ++i) {
        san->reset();
        san->bind(1, csr.id).bind(2, static_cast<std::int64_t>(i)).bind(3, csr.sans[i]);
        san->run();
    }
    tx.commit();
}

void CsrRepository::load_sans(StatementCache& statements, std::vector<CustomCsr>& csrs) {
    if (csrs.empty()) return;
    // One text per page size, so the cache holds at most as many as there are page sizes.
    auto s = statements.use("SELECT csr_id, san FROM custom_csr_sans WHERE csr_id IN (" +
                             sql::placeholders(1, csrs.size()) + ") ORDER BY csr_id, position");
    std::unordered_map<std::string, CustomCsr*> by_id;
    for (std::size_t i = 0; i < csrs.size(); ++i) {
        s->bind(static_cast<int>(i + 1), csrs[i].id);
        by_id.emplace(csrs[i].id, &csrs[i]);
    }
    while (s->step()) by_id.at(s->text(0))->sans.push_back(s->text(1));
}

std::optional<CustomCsr> CsrRepository::find_on(StatementCache& statements, Scope scope, const std::string& scope_id,
                                                const std::string& id) {
    std::vector<CustomCsr> found;
    {
        static const std::string sql = select_sql + " WHERE id = ? AND scope = ? AND scope_id = ?";
        auto s = statements.use(sql);
        s->bind(1, id).bind(2, scope_name(scope)).bind(3, scope_id);
        if (!s->step()) return std::nullopt;
        found.push_back(read_row(*s));
    }
    load_sans(statements, found);
    return std::move(found.front());
}

std::optional<CustomCsr> CsrRepository::find(Scope scope, const std::string& scope_id, const std::string& id) {
    auto read = db_.read(statements_);
    return find_on(read.statements(), scope, scope_id, id);
}

std::optional<ShownCsr> CsrRepository::find_shown(Scope scope, const std::string& scope_id, const std::string& id) {
    auto read = db_.read(statements_);
    {
        auto s = read.statements().use("SELECT shown_json FROM custom_csrs WHERE id = ? AND scope = ? AND scope_id = ?");
        s->bind(1, id).bind(2, scope_name(scope)).bind(3, scope_id);
        if (!s->step()) return std::nullopt;
        if (!s->is_null(0)) return ShownCsr{s->text(0), std::nullopt};
    }
    auto fields = find_on(read.statements(), scope, scope_id, id);
    if (!fields) return std::nullopt;
    return ShownCsr{{}, std::move(fields)};
}

CsrPage CsrRepository::list(Scope scope, const std::string& scope_id, std::int64_t page, std::int64_t per_page,
                            CsrOrder order, bool descending) {
    const bool by_name = order == CsrOrder::name;
    const bool account = scope == Scope::account;
    // The order: coalesce(name, '') (name_key), then created_at, then id; or created_at, id.
    // A page reads each CSR's stored JSON only (the few CSRs without one are read in full), and
    // its order's key, from which later pages may start (key_result_column).
    static const std::string by_created_sql =
        "SELECT id, shown_json, created_at, id FROM custom_csrs"
        " WHERE scope = ?1 AND scope_id = ?2 AND (created_at, id) >= (?3, ?4)"
        " ORDER BY created_at, id LIMIT ?5 OFFSET ?6";
    static const std::string by_name_sql =
        "SELECT id, shown_json, name_key, created_at, id FROM custom_csrs"
        " WHERE scope = ?1 AND scope_id = ?2 AND (name_key, created_at, id) >= (?3, ?4, ?5)"
        " ORDER BY name_key, created_at, id LIMIT ?6 OFFSET ?7";
    ListQuery query{by_name ? (account ? OrderedList::account_csrs_by_name : OrderedList::zone_csrs_by_name)
                            : (account ? OrderedList::account_csrs_by_created : OrderedList::zone_csrs_by_created),
                    scope_id, by_name ? by_name_sql : by_created_sql, 2, by_name ? 3 : 2,
                    [&](Statement& s) { s.bind(1, scope_name(scope)).bind(2, scope_id); }, 2};
    auto read = db_.read(statements_);
    CsrPage result;
    result.total_count =
        read_ordered_page(read.statements(), query, (page - 1) * per_page, per_page, descending, [&](const Statement& s) {
            if (!s.is_null(1)) result.items.push_back(ShownCsr{s.text(1), std::nullopt});
            // Another statement of the same connection, reading the page statement's snapshot.
            else if (auto fields = find_on(read.statements(), scope, scope_id, s.text(0)))
                result.items.push_back(ShownCsr{{}, std::move(fields)});
        });
    if (descending) std::reverse(result.items.begin(), result.items.end());
    return result;
}

bool CsrRepository::exists(Scope scope, const std::string& scope_id, const std::string& id) {
    auto lock = db_.lock();
    return csr_exists(statements_, scope, scope_id, id);
}

RemoveResult CsrRepository::remove(Scope scope, const std::string& scope_id, const std::string& id) {
    auto lock = db_.lock();
    Transaction tx(db_);
    auto s = statements_.use("DELETE FROM custom_csrs WHERE id = ? AND scope = ? AND scope_id = ?");
    s->bind(1, id).bind(2, scope_name(scope)).bind(3, scope_id);
    try {
        s->run();
    } catch (const Error& e) {
        if (e.is_foreign_key_violation()) return RemoveResult::in_use;
        throw;
    }
    if (db_.changes() == 0) return RemoveResult::not_found;
    tx.commit();
    return RemoveResult::removed;
}

}  // namespace storage
