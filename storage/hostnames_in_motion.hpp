#pragma once
// The custom hostnames the background settler visits (HostnameRepository::unsettled and
// due_for_check): those that time alone may still move, or that have a check scheduled. A
// settled hostname (active, with its certificate) is none of these, and most are settled.
//
// Migration 10 indexes exactly these rows (custom_hostnames_in_motion), so a settler tick reads
// them instead of every hostname: without it, each tick read the whole table, and an idle
// emulator holding 100,000 hostnames kept 1.4 cores busy. The settler's queries AND this
// condition with their own, which is how SQLite sees that the partial index holds every row they
// can return. The index was made with this text: a change here needs a migration that makes the
// index again.
#include <string>
#include <string_view>

namespace storage::hostname_queries {

inline constexpr std::string_view in_motion =
    "(status IN ('moved', 'pending')"
    " OR ssl_status IN ('initializing', 'pending_issuance', 'pending_deployment', 'pending_validation')"
    " OR (ssl_status = 'active' AND cert_chain_pem IS NULL AND dv_ecdsa_chain_pem IS NULL)"
    " OR ownership_next_check_at IS NOT NULL OR ssl_next_check_at IS NOT NULL)";

// ?1 the time now (RFC 3339), ?2 the limit.
inline const std::string due_for_check =
    "SELECT zone_id, id FROM custom_hostnames WHERE " + std::string(in_motion) +
    " AND (ownership_next_check_at <= ?1 OR ssl_next_check_at <= ?1"
    // Pending with no check scheduled (made so in another mode, or before dns mode): due now.
    " OR (status = 'pending' AND ownership_next_check_at IS NULL)"
    " OR (ssl_status = 'pending_validation' AND ssl_next_check_at IS NULL))"
    " ORDER BY coalesce(min(ownership_next_check_at, ssl_next_check_at), ownership_next_check_at,"
    " ssl_next_check_at) LIMIT ?2";

// ?1 the limit, ?2 whether pending ownership and pending_validation move with time (1) or only
// by checks (0, dns mode).
inline const std::string unsettled =
    "SELECT zone_id, id FROM custom_hostnames WHERE " + std::string(in_motion) +
    " AND (status = 'moved'"
    " OR ssl_status IN ('initializing', 'pending_issuance', 'pending_deployment')"
    " OR (ssl_status = 'active' AND cert_chain_pem IS NULL AND dv_ecdsa_chain_pem IS NULL)"
    " OR (?2 AND (status = 'pending' OR ssl_status = 'pending_validation')))"
    " ORDER BY created_at, id LIMIT ?1";

// Settled hostnames whose certificate the clock changes by now (renewal, expiry): ?1 the time
// now (RFC 3339), ?2 the limit. Read through custom_hostnames_by_clock (migration 11), so the
// settled rows whose time has not come cost nothing.
inline const std::string clock_due =
    "SELECT zone_id, id FROM custom_hostnames WHERE ssl_clock_at IS NOT NULL AND ssl_clock_at <= ?1"
    " ORDER BY ssl_clock_at LIMIT ?2";

}  // namespace storage::hostname_queries
