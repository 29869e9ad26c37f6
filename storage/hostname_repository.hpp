#pragma once
// Custom hostnames of a zone, with the SSL configuration and uploaded certificate they carry.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/statement_cache.hpp"
#include "storage/stored_certificate.hpp"
#include "storage/write_result.hpp"

namespace storage {

struct HostnameSsl {
    std::string id, status, method, type, bundle_method;
    bool wildcard = false;
    std::optional<std::string> certificate_authority;
    std::optional<std::string> settings;  // serialized object, opaque here
    std::optional<std::string> dcv_token;
    std::optional<std::string> uploaded_on;
    std::optional<std::string> custom_csr_id;
    std::optional<StoredCertificate> certificate;
};

struct CustomHostname {
    std::string id, zone_id, hostname, status, created_at;
    std::optional<std::string> custom_metadata;  // serialized object, opaque here
    std::optional<std::string> custom_origin_server, custom_origin_sni;
    std::string ownership_token;
    std::optional<HostnameSsl> ssl;
};

struct HostnameFilter {
    std::optional<std::string> id, hostname_exact, hostname_contains, hostname_starts_with;
    std::optional<std::string> status, ssl_status, certificate_authority, custom_origin_server;
    std::optional<bool> has_ssl, wildcard;
};

enum class HostnameOrder { created_at, ssl_status };

struct HostnamePage {
    std::vector<CustomHostname> items;
    std::int64_t total_count = 0;
};

class HostnameRepository {
public:
    explicit HostnameRepository(Database& db) : db_(db), statements_(db) {}

    // A custom_csr_id must name a CSR of the same zone; checked in the write's transaction.
    WriteResult insert(const CustomHostname& hostname);
    WriteResult update(const CustomHostname& hostname);  // by (zone_id, id); hostname itself is fixed
    std::optional<CustomHostname> find(const std::string& zone_id, const std::string& id);
    HostnamePage list(const std::string& zone_id, const HostnameFilter& filter, std::int64_t page,
                      std::int64_t per_page, HostnameOrder order, bool descending);
    bool remove(const std::string& zone_id, const std::string& id);

private:
    // The insert or the update of `hostname`, inside the caller's transaction.
    WriteResult write(const std::string& sql, const CustomHostname& hostname);

    Database& db_;
    StatementCache statements_;
};

}  // namespace storage
