#pragma once
// Each custom hostname's status changes, both verifications, with their times (migration 15): the
// timeline a person reads when a hostname is stuck. Written in the transaction of the change.
#include <string>
#include <vector>

namespace storage {

struct CustomHostname;
class Database;
class StatementCache;

struct HostnameStatusChange {
    std::string verification;  // "ownership" or "certificate"
    std::string status;
    std::string at;  // when the status was entered (the row's *status_changed_at, else created_at)
};

// Appends what changed between `before` (none for an insert) and `after`: the ownership status, the
// certificate's status (or a new certificate). The caller holds the lock and its transaction.
void record_status_changes(StatementCache& statements, const CustomHostname* before, const CustomHostname& after);

// Starts the history of every hostname that has none at the statuses it has (after a seed). The
// caller holds the lock and its transaction.
void record_current_statuses(Database& db);

// Oldest first. The caller holds the lock.
std::vector<HostnameStatusChange> status_history(StatementCache& statements, const std::string& hostname_id);

}  // namespace storage
