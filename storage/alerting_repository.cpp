#include "storage/alerting_repository.hpp"

#include "storage/database.hpp"
#include "storage/row_fields.hpp"

namespace storage {
namespace {

using D = AlertDestination;
using P = AlertPolicy;
constexpr sql::Fields<D, 9> destination_fields{{{"id", &D::id}, {"account_id", &D::account_id}, {"name", &D::name},
    {"url", &D::url}, {"secret", &D::secret}, {"type", &D::type}, {"created_at", &D::created_at},
    {"last_success", &D::last_success}, {"last_failure", &D::last_failure}}};
constexpr sql::Fields<P, 11> policy_fields{{{"id", &P::id}, {"account_id", &P::account_id}, {"name", &P::name},
    {"description", &P::description}, {"alert_type", &P::alert_type}, {"enabled", &P::enabled},
    {"mechanisms", &P::mechanisms}, {"filters", &P::filters}, {"alert_interval", &P::alert_interval},
    {"created", &P::created}, {"modified", &P::modified}}};
constexpr auto policy_columns = sql::columns_of(policy_fields);
consteval int pparam(std::string_view name) { return sql::parameter_of(policy_columns, name); }

const std::string select_destination = sql::select("alert_destinations", sql::columns_of(destination_fields));
const std::string select_policy = sql::select("alert_policies", policy_columns);

D read_destination(const Statement& s) { return sql::read_row(s, destination_fields); }
P read_policy(const Statement& s) { return sql::read_row(s, policy_fields); }

// Destinations and policies are both an account's rows, found, listed and removed alike.
template <class Read>
auto find_of_account(Database& db, StatementCache& statements, const std::string& select, Read read,
                     const std::string& account_id, const std::string& id) {
    auto lock = db.lock();
    auto s = statements.use(select + " WHERE account_id = ?1 AND id = ?2");
    return sql::first_row(s->bind(1, account_id).bind(2, id), read);
}

template <class Read>
auto all_of_account(Database& db, StatementCache& statements, const std::string& select, const char* order, Read read,
                    const std::string& account_id) {
    auto lock = db.lock();
    auto s = statements.use(select + " WHERE account_id = ?1 ORDER BY " + order);
    return sql::all_rows(s->bind(1, account_id), read);
}

bool remove_of_account(Database& db, StatementCache& statements, const std::string& table,
                       const std::string& account_id, const std::string& id) {
    auto lock = db.lock();
    auto s = statements.use("DELETE FROM " + table + " WHERE account_id = ?1 AND id = ?2");
    return s->bind(1, account_id).bind(2, id).run_changed();
}

}  // namespace

void AlertingRepository::insert(const AlertDestination& d) {
    auto lock = db_.lock();
    auto s = statements_.use(sql::insert("alert_destinations", sql::columns_of(destination_fields)));
    sql::bind_fields(*s, d, destination_fields);
    s->run();
}

bool AlertingRepository::update(const AlertDestination& d) {
    auto lock = db_.lock();
    auto s = statements_.use(
        "UPDATE alert_destinations SET name = ?1, url = ?2, secret = ?3, type = ?4 WHERE account_id = ?5 AND id = ?6");
    s->bind(1, d.name).bind(2, d.url).bind(3, d.secret).bind(4, d.type).bind(5, d.account_id).bind(6, d.id);
    return s->run_changed();
}

std::optional<AlertDestination> AlertingRepository::find_destination(const std::string& account_id,
                                                                     const std::string& id) {
    return find_of_account(db_, statements_, select_destination, read_destination, account_id, id);
}

std::vector<AlertDestination> AlertingRepository::destinations(const std::string& account_id) {
    return all_of_account(db_, statements_, select_destination, "created_at, id", read_destination, account_id);
}

bool AlertingRepository::remove_destination(const std::string& account_id, const std::string& id) {
    return remove_of_account(db_, statements_, "alert_destinations", account_id, id);
}

void AlertingRepository::mark_destination(const std::string& id, bool success, const std::string& at) {
    auto lock = db_.lock();
    auto s = statements_.use(success ? "UPDATE alert_destinations SET last_success = ?1 WHERE id = ?2"
                                     : "UPDATE alert_destinations SET last_failure = ?1 WHERE id = ?2");
    s->bind(1, at).bind(2, id);
    s->run();
}

void AlertingRepository::insert(const AlertPolicy& p) {
    auto lock = db_.lock();
    auto s = statements_.use(sql::insert("alert_policies", policy_columns));
    sql::bind_fields(*s, p, policy_fields);
    s->run();
}

bool AlertingRepository::update(const AlertPolicy& p) {
    auto lock = db_.lock();
    static const std::string update_sql = "UPDATE alert_policies SET " + sql::assignments(policy_columns, 2) +
                                          " WHERE id = ?" + std::to_string(pparam("id")) + " AND account_id = ?" +
                                          std::to_string(pparam("account_id"));
    auto s = statements_.use(update_sql);
    sql::bind_fields(*s, p, policy_fields);
    return s->run_changed();
}

std::optional<AlertPolicy> AlertingRepository::find_policy(const std::string& account_id, const std::string& id) {
    return find_of_account(db_, statements_, select_policy, read_policy, account_id, id);
}

std::vector<AlertPolicy> AlertingRepository::policies(const std::string& account_id) {
    return all_of_account(db_, statements_, select_policy, "created, id", read_policy, account_id);
}

bool AlertingRepository::remove_policy(const std::string& account_id, const std::string& id) {
    return remove_of_account(db_, statements_, "alert_policies", account_id, id);
}

}  // namespace storage
