#include "storage/hostname_history.hpp"

#include "storage/database.hpp"
#include "storage/hostname_repository.hpp"
#include "storage/statement_cache.hpp"

namespace storage {
namespace {

void append(StatementCache& statements, const std::string& id, const char* verification, const std::string& status,
            const std::string& at) {
    auto s = statements.use(
        "INSERT INTO custom_hostname_history (hostname_id, verification, status, at) VALUES (?, ?, ?, ?)");
    s->bind(1, id).bind(2, verification).bind(3, status).bind(4, at);
    s->run();
}

}  // namespace

void record_status_changes(StatementCache& statements, const CustomHostname* before, const CustomHostname& after) {
    if (!before || before->status != after.status)
        append(statements, after.id, "ownership", after.status, after.status_changed_at.value_or(after.created_at));
    if (!after.ssl) return;
    const auto& ssl = *after.ssl;
    bool changed = !before || !before->ssl || before->ssl->status != ssl.status || before->ssl->id != ssl.id;
    if (changed) append(statements, after.id, "certificate", ssl.status, ssl.status_changed_at.value_or(after.created_at));
}

void record_current_statuses(Database& db) {
    // One statement: SQLite reads every row it selects before inserting any.
    db.exec(R"sql(
INSERT INTO custom_hostname_history (hostname_id, verification, status, at)
    SELECT id, 'ownership', status, coalesce(status_changed_at, created_at) FROM custom_hostnames h
    WHERE NOT EXISTS (SELECT 1 FROM custom_hostname_history WHERE hostname_id = h.id)
    UNION ALL
    SELECT id, 'certificate', ssl_status, coalesce(ssl_status_changed_at, created_at) FROM custom_hostnames h
    WHERE ssl_status IS NOT NULL AND NOT EXISTS (SELECT 1 FROM custom_hostname_history WHERE hostname_id = h.id);
)sql");
}

std::vector<HostnameStatusChange> status_history(StatementCache& statements, const std::string& hostname_id) {
    auto s = statements.use(
        "SELECT verification, status, at FROM custom_hostname_history WHERE hostname_id = ? ORDER BY seq");
    s->bind(1, hostname_id);
    std::vector<HostnameStatusChange> out;
    while (s->step()) out.push_back({s->text(0), s->text(1), s->text(2)});
    return out;
}

}  // namespace storage
