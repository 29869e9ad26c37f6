#pragma once
// What the background settler (server/settler) asks of api/: which hostnames to
// look at, and one hostname settled or checked. Each function does its own storage I/O and no
// network I/O: dns-mode checks go through the probe interfaces, whose callbacks run on the
// probes' threads, so no socket thread ever waits on a lookup.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "api/context.hpp"
#include "api/custom_hostnames/probes.hpp"

namespace api {

using HostnameKey = std::pair<std::string, std::string>;  // (zone_id, id)

// Hostnames that may move with time alone, at most `limit` of each kind: those whose renewal or
// expiry has come (every mode), and the states a step moves (auto mode; dns mode's unprobed ones).
std::vector<HostnameKey> hostnames_to_settle(Context& context, std::int64_t limit);
// settle_and_store() of one hostname, as an API read would do it; gone hostnames are skipped.
void settle_hostname(Context& context, const HostnameKey& key);

// dns mode: hostnames whose ownership or DCV check is due now, at most `limit`.
std::vector<HostnameKey> hostnames_due_for_check(Context& context, std::int64_t limit);

// dns mode: one round of checks for a hostname whose check is due. Starts the probes and
// returns at once; `done` is called exactly once when the result is stored (or dropped: the
// hostname went, was edited meanwhile, or had nothing due), on a probe's thread or, when no
// probe was needed, before this returns. Results are applied only while `wanted()` holds: a
// probe destroyed at shutdown answers "failed", which is no failed check of the customer's.
void check_hostname(Context& context, DnsProbe& dns, HttpProbe& http, const HostnameKey& key,
                    std::function<bool()> wanted, std::function<void()> done);

// Zones whose fallback origin may move with time alone, at most `limit`: pending_deletion (auto
// and dns mode) or pending_deployment (auto mode) for a step or longer.
std::vector<std::string> fallback_origins_to_settle(Context& context, std::int64_t limit);
// settle_fallback_origin() of one zone (fallback_origin.hpp), as an API read would do it.
void settle_fallback_origin_of(Context& context, const std::string& zone_id);

// dns mode: zones whose fallback origin is pending_deployment with a check due now, at most `limit`.
std::vector<std::string> fallback_origins_due_for_check(Context& context, std::int64_t limit);

// dns mode: one check that a zone's pending fallback origin resolves (DnsProbe::has_address),
// its outcome stored by apply_origin_check (fallback_origin.hpp) unless a PUT or DELETE came
// meanwhile. Returns at once; `done` and `wanted` as for check_hostname.
void check_fallback_origin(Context& context, DnsProbe& dns, const std::string& zone_id, std::function<bool()> wanted,
                           std::function<void()> done);

// What a hostname must CNAME to: --cname-target when given, else the zone's fallback origin
// (any status: the customer may set the record before the origin is active); empty for none.
std::string cname_target_for(Context& context, const std::string& zone_id);

}  // namespace api
