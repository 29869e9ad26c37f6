#pragma once
// Custom certificates (Cloudflare's "custom SSL configurations") of a zone.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/page.hpp"
#include "storage/statement_cache.hpp"
#include "storage/stored_certificate.hpp"
#include "storage/write_result.hpp"

namespace storage {

struct CustomCertificate {
    std::string id, zone_id, type, bundle_method, deploy;
    std::optional<std::string> geo_restrictions;  // the label: us | eu | highest_security
    std::optional<std::string> policy;
    std::int64_t priority = 20;
    std::string uploaded_on, modified_on;
    std::optional<std::string> custom_csr_id;
    StoredCertificate certificate;
};

using CertificatePage = Page<CustomCertificate>;

class CertificateRepository {
public:
    explicit CertificateRepository(Database& db) : db_(db), statements_(db) {}

    // A custom_csr_id must name a CSR of the same zone, and the zone must not hold the same leaf
    // already (Cloudflare's 1220); both checked in the write's transaction.
    WriteResult insert(const CustomCertificate& certificate);
    // Replaces the row `previous_id` of the zone with `certificate` (whose id may differ: an
    // sni_custom edit gets a new id), atomically.
    WriteResult replace(const std::string& previous_id, const CustomCertificate& certificate);
    std::optional<CustomCertificate> find(const std::string& zone_id, const std::string& id);
    // expired: nullopt = all; true = only not_after <= now_rfc3339; false = only the others.
    CertificatePage list(const std::string& zone_id, std::int64_t page, std::int64_t per_page,
                         std::optional<bool> expired, const std::string& now_rfc3339);
    bool remove(const std::string& zone_id, const std::string& id);
    // Sets priorities by id; ids of other zones are ignored. Returns how many were updated.
    std::size_t set_priorities(const std::string& zone_id, const std::vector<std::pair<std::string, std::int64_t>>& priorities,
                               const std::string& modified_on);

private:
    // The insert of `certificate`, inside the caller's transaction.
    WriteResult insert_row(const CustomCertificate& certificate);

    Database& db_;
    StatementCache statements_;
};

}  // namespace storage
