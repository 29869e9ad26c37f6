#pragma once
// A certificate pack runs the custom hostname's certificate lifecycle (lifecycle.hpp): its
// columns read as a HostnameState whose ownership is always active (the hosts are the zone's
// own), moved by the same mode and clock, and its pair issued by the same CA path when it becomes
// active, for its validity_days.
#include <string>
#include <vector>

#include "api/context.hpp"
#include "api/custom_hostnames/hostname_state.hpp"
#include "api/custom_hostnames/lifecycle.hpp"
#include "storage/certificate_pack_repository.hpp"

namespace api {

// The common name Cloudflare branding puts first in the certificate.
inline constexpr const char* branding_name = "sni.cloudflaressl.com";

// The names its certificates carry: the hosts, after the branding name when branded.
std::vector<std::string> pack_certificate_names(const storage::CertificatePack& pack);

lifecycle::HostnameState state_of(const storage::CertificatePack& pack);
void store_state(const lifecycle::HostnameState& state, storage::CertificatePack& pack);

// The statuses a new (or restarted) pack starts in: initializing, as a new hostname's DV certificate.
void start_lifecycle(Context& context, storage::CertificatePack& pack, KeyMiss on_miss);

// What a read shows now (the mode's moves, renewal and expiry), with the pair issued when it is
// due. Returns whether the pack changed (the caller stores it).
bool settle(Context& context, storage::CertificatePack& pack, KeyMiss on_miss);
// settle(), stored unless the row changed meanwhile (then the row as it now is, settled again).
void settle_and_store(Context& context, storage::CertificatePack& pack, KeyMiss on_miss);

// The background settler's share: packs whose renewal, expiry or next step is due settled and
// stored without waiting for a read, so the edge serves what the API would show.
void settle_due_certificate_packs(Context& context, std::int64_t limit);

// After a manual move: the pair, issued when the move made the pack active or renewed it.
bool issue_if_due(Context& context, storage::CertificatePack& pack, const lifecycle::HostnameState& state,
                  KeyMiss on_miss);

}  // namespace api
