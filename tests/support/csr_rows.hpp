#pragma once
// A custom CSR row for the storage tests: every required field set, three SANs in a known order,
// and a placeholder PEM that names the id (storage never parses it).
#include <optional>
#include <string>

#include "storage/csr_repository.hpp"

namespace test_support {

inline storage::CustomCsr make_csr(const std::string& id, storage::Scope scope = storage::Scope::zone,
                                   const std::string& owner = "zone-a",
                                   const std::string& created_at = "2026-01-01T00:00:00.000001Z",
                                   std::optional<std::string> name = std::nullopt) {
    storage::CustomCsr csr;
    csr.id = id;
    csr.scope = scope;
    csr.scope_id = owner;
    csr.created_at = created_at;
    csr.key_type = "p256v1";
    csr.country = "US";
    csr.state = "MA";
    csr.locality = "Boston";
    csr.organization = "Acme";
    csr.common_name = "app.acme.io";
    csr.sans = {"app.acme.io", "www.acme.io", "acme.io"};
    csr.name = std::move(name);
    csr.csr_pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + id + "\n-----END CERTIFICATE REQUEST-----\n";
    return csr;
}

// A stand-in for the JSON the API stores with a CSR (storage keeps it as opaque text): enough to
// tell which CSR a listed item is.
inline std::string shown_json_of(const std::string& id) { return "{\"id\":\"" + id + "\"}"; }

// The id of a listed or found CSR, whether it came back as stored JSON (shown_json_of) or fields.
inline std::string shown_id(const storage::ShownCsr& csr) {
    if (csr.fields) return csr.fields->id;
    const std::string key = "{\"id\":\"";
    if (!csr.json.starts_with(key)) return "?" + csr.json;
    return csr.json.substr(key.size(), csr.json.find('"', key.size()) - key.size());
}

}  // namespace test_support
