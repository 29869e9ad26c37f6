#pragma once
// Between the stored row and the lifecycle's plain data: a custom hostname's two verifications
// read from its columns, and written back, so every mode decides on the same HostnameState.
#include "api/context.hpp"
#include "api/custom_hostnames/lifecycle.hpp"
#include "crypto/dv_issuance.hpp"
#include "storage/hostname_repository.hpp"

namespace api {

// What a settle does when the DV pair is due and the key pool has no RSA key ready. Serving
// threads never make one (tens to hundreds of milliseconds on a thread other clients wait
// behind):
// - keep_status (the settler, probe callbacks): the certificate stays in its previous status,
//   the pool makes a key, and a later settle (the settler's next tick, a read) issues the pair.
// - wait (request handlers, wrapped by waiting_for_rsa_key): KeyNotReady is thrown before
//   anything is stored, and the request runs again once a key worker has a key ready.
enum class KeyMiss { keep_status, wait };
struct KeyNotReady {};  // not a std::exception: no generic catch may take it for a failure

lifecycle::HostnameState state_of(const storage::CustomHostname& hostname);
void store_state(const lifecycle::HostnameState& state, storage::CustomHostname& hostname);

// The statuses a new hostname (or one whose ssl a PATCH replaced) starts in, per mode; with an
// auto step of 0 it settles at once, even in the create response.
void start_lifecycle(Context& context, storage::CustomHostname& hostname, bool new_ownership,
                     KeyMiss on_miss = KeyMiss::keep_status);

// What a read shows: in auto mode the states advanced from stored timestamps, in dns mode the
// states no probe decides. Returns whether the hostname changed (the caller stores it).
bool settle(Context& context, storage::CustomHostname& hostname, KeyMiss on_miss = KeyMiss::keep_status);

// settle(), and the change stored unless someone else changed the row meanwhile (then the row
// as it now is). A read never overwrites a concurrent edit.
void settle_and_store(Context& context, storage::CustomHostname& hostname, KeyMiss on_miss = KeyMiss::keep_status);

// A Cloudflare-managed (DV) certificate that is active has its two certificates issued by the
// emulator's CA (crypto/dv_issuance.hpp): ECDSA P-256 and RSA-2048, 90 days, for the hostname.
// Issued the first time the active state is seen, and again after each renewal; the edge serves
// them (an uploaded certificate wins). The RSA key comes from the key pool, never made here: with
// none ready, nothing is issued (keep_status) or KeyNotReady is thrown (wait). Returns whether the
// hostname changed (the caller stores it). settle() and the manual routes call it.
bool issue_dv_if_due(Context& context, storage::CustomHostname& hostname, KeyMiss on_miss = KeyMiss::keep_status);
// The same for the pair the lifecycle wants: `wanted_end` is its expires_on (a renewal that
// became active changed it); a stored pair ending otherwise is replaced by one dated
// wanted_end - 90 days, so the pair served is the one the clock says was issued.
// `activated`: the certificate became active in this call (CertificateState::pair_due): a new
// pair is issued whatever the stored one's end.
bool issue_dv_if_due(Context& context, storage::CustomHostname& hostname, std::optional<TimePoint> wanted_end,
                     bool activated = false, KeyMiss on_miss = KeyMiss::keep_status);

// The private keys (PEM) of a pair already issued.
struct DvKeys {
    std::string ecdsa, rsa;
};

// A stored pair's keys when it has both: a renewal or a re-issue keeps them (see issue_dv_pair).
std::optional<DvKeys> kept_keys(const std::optional<std::string>& ecdsa, const std::optional<std::string>& rsa);

// The pair a certificate that became (or stays) active serves: ECDSA P-256 and RSA-2048 for
// `names` from the emulator's CA, valid for `validity` from wanted_end - validity (else from now).
// With `kept`, the new certificates are for those keys: a renewal keeps its keys, since RSA-2048
// keys come at about 12 a second from both cores, so a clock jump renewing 1,000 hostnames with
// new keys would hold them for over a minute (tests/bench/renewal_bench.py measures it). Without,
// an RSA key from the pool: none without a CA, or when the pool has no RSA key ready
// (keep_status; KeyNotReady: wait). Custom hostnames and certificate packs issue through it.
std::optional<crypto::DvCertificates> issue_dv_pair(Context& context, const std::vector<std::string>& names,
                                                   std::optional<TimePoint> wanted_end, std::chrono::hours validity,
                                                   KeyMiss on_miss, const std::optional<DvKeys>& kept = std::nullopt);

class Router;
// POST /_emulator/zones/{zone_id}/custom_hostnames/{id}/{verify_ownership,advance_certificate,
// fail_certificate,fail_renewal,block,move} (manual_routes.cpp).
void add_manual_lifecycle_routes(Router& router);

}  // namespace api
