#pragma once
// dns mode for certificate packs: the DCV of every host checked with the probes the custom
// hostnames use, for exactly the records the pack's answer shows (TXT at _acme-challenge.<host>
// for txt; the challenge URL's token for http). The pack passes once every host passes; a host
// that fails counts the attempt as a hostname's miss does.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "api/context.hpp"
#include "api/custom_hostnames/probes.hpp"

namespace api {

using PackKey = std::pair<std::string, std::string>;  // (zone_id, id)

// Packs (txt or http) whose DCV check has come, first or a renewal's (dns mode only).
std::vector<PackKey> certificate_packs_due_for_check(Context& context, std::int64_t limit);

// Runs one round for the pack, applies it to the row as it then is and calls `done` once (at
// once when nothing is due). `wanted` false when the answers come: they are dropped.
void check_certificate_pack(Context& context, DnsProbe& dns, HttpProbe& http, const PackKey& key,
                            std::function<bool()> wanted, std::function<void()> done);

}  // namespace api
