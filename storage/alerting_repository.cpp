#include "storage/alerting_repository.hpp"

#include "storage/database.hpp"
#include "storage/sql_columns.hpp"

namespace storage {
namespace {

constexpr sql::Columns<9> destination_columns = {"id",   "account_id", "name",         "url",         "secret",
                                                 "type", "created_at", "last_success", "last_failure"};
constexpr sql::Columns<11> policy_columns = {"id",         "account_id", "name",    "description",
                                             "alert_type", "enabled",    "mechanisms", "filters",
                                             "alert_interval", "created", "modified"};

consteval int dcol(std::string_view name) { return sql::index_of(destination_columns, name); }
consteval int dparam(std::string_view name) { return sql::parameter_of(destination_columns, name); }
consteval int pcol(std::string_view name) { return sql::index_of(policy_columns, name); }
consteval int pparam(std::string_view name) { return sql::parameter_of(policy_columns, name); }

const std::string select_destination = sql::select("alert_destinations", destination_columns);
const std::string select_policy = sql::select("alert_policies", policy_columns);

AlertDestination read_destination(const Statement& s) {
    return AlertDestination{s.text(dcol("id")),         s.text(dcol("account_id")),
                            s.text(dcol("name")),       s.text(dcol("url")),
                            s.optional_text(dcol("secret")), s.text(dcol("type")),
                            s.text(dcol("created_at")), s.optional_text(dcol("last_success")),
                            s.optional_text(dcol("last_failure"))};
}

AlertPolicy read_policy(const Statement& s) {
    AlertPolicy p;
    p.id = s.text(pcol("id"));
    p.account_id = s.text(pcol("account_id"));
    p.name = s.text(pcol("name"));
    p.description = s.text(pcol("description"));
    p.alert_type = s.text(pcol("alert_type"));
    p.enabled = s.integer(pcol("enabled")) != 0;
    p.mechanisms = s.text(pcol("mechanisms"));
    p.filters = s.text(pcol("filters"));
    p.alert_interval = s.optional_text(pcol("alert_interval"));
    p.created = s.text(pcol("created"));
    p.modified = s.text(pcol("modified"));
    return p;
}

void bind_policy(Statement& s, const AlertPolicy& p) {
    s.bind(pparam("id"), p.id)
        .bind(pparam("account_id"), p.account_id)
        .bind(pparam("name"), p.name)
        .bind(pparam("description"), p.description)
        .bind(pparam("alert_type"), p.alert_type)
        .bind(pparam("enabled"), std::int64_t{p.enabled ? 1 : 0})
        .bind(pparam("mechanisms"), p.mechanisms)
        .bind(pparam("filters"), p.filters)
        .bind(pparam("alert_interval"), p.alert_interval)
        .bind(pparam("created"), p.created)
        .bind(pparam("modified"), p.modified);
}

}  // namespace

void AlertingRepository::insert(const AlertDestination& d) {
    auto lock = db_.lock();
    auto s = statements_.use(sql::insert("alert_destinations", destination_columns));
    s->bind(dparam("id"), d.id)
        .bind(dparam("account_id"), d.account_id)
        .bind(dparam("name"), d.name)
        .bind(dparam("url"), d.url)
        .bind(dparam("secret"), d.secret)
        .bind(dparam("type"), d.type)
        .bind(dparam("created_at"), d.created_at)
        .bind(dparam("last_success"), d.last_success)
        .bind(dparam("last_failure"), d.last_failure);
    s->run();
}

bool AlertingRepository::update(const AlertDestination& d) {
    auto lock = db_.lock();
    auto s = statements_.use(
        "UPDATE alert_destinations SET name = ?1, url = ?2, secret = ?3, type = ?4 WHERE account_id = ?5 AND id = ?6");
    s->bind(1, d.name).bind(2, d.url).bind(3, d.secret).bind(4, d.type).bind(5, d.account_id).bind(6, d.id);
    s->run();
    return db_.changes() > 0;
}

std::optional<AlertDestination> AlertingRepository::find_destination(const std::string& account_id,
                                                                     const std::string& id) {
    auto lock = db_.lock();
    auto s = statements_.use(select_destination + " WHERE account_id = ?1 AND id = ?2");
    s->bind(1, account_id).bind(2, id);
    if (!s->step()) return std::nullopt;
    return read_destination(*s);
}

std::vector<AlertDestination> AlertingRepository::destinations(const std::string& account_id) {
    auto lock = db_.lock();
    auto s = statements_.use(select_destination + " WHERE account_id = ?1 ORDER BY created_at, id");
    s->bind(1, account_id);
    std::vector<AlertDestination> out;
    while (s->step()) out.push_back(read_destination(*s));
    return out;
}

bool AlertingRepository::remove_destination(const std::string& account_id, const std::string& id) {
    auto lock = db_.lock();
    auto s = statements_.use("DELETE FROM alert_destinations WHERE account_id = ?1 AND id = ?2");
    s->bind(1, account_id).bind(2, id);
    s->run();
    return db_.changes() > 0;
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
    bind_policy(*s, p);
    s->run();
}

bool AlertingRepository::update(const AlertPolicy& p) {
    auto lock = db_.lock();
    static const std::string update_sql = "UPDATE alert_policies SET " + sql::assignments(policy_columns, 2) +
                                          " WHERE id = ?" + std::to_string(pparam("id")) + " AND account_id = ?" +
                                          std::to_string(pparam("account_id"));
    auto s = statements_.use(update_sql);
    bind_policy(*s, p);
    s->run();
    return db_.changes() > 0;
}

std::optional<AlertPolicy> AlertingRepository::find_policy(const std::string& account_id, const std::string& id) {
    auto lock = db_.lock();
    auto s = statements_.use(select_policy + " WHERE account_id = ?1 AND id = ?2");
    s->bind(1, account_id).bind(2, id);
    if (!s->step()) return std::nullopt;
    return read_policy(*s);
}

std::vector<AlertPolicy> AlertingRepository::policies(const std::string& account_id) {
    auto lock = db_.lock();
    auto s = statements_.use(select_policy + " WHERE account_id = ?1 ORDER BY created, id");
    s->bind(1, account_id);
    std::vector<AlertPolicy> out;
    while (s->step()) out.push_back(read_policy(*s));
    return out;
}

bool AlertingRepository::remove_policy(const std::string& account_id, const std::string& id) {
    auto lock = db_.lock();
    auto s = statements_.use("DELETE FROM alert_policies WHERE account_id = ?1 AND id = ?2");
    s->bind(1, account_id).bind(2, id);
    s->run();
    return db_.changes() > 0;
}

}  // namespace storage
