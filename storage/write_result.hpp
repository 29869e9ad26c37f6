#pragma once
// What a hostname or certificate write came to. Its own header so each repository that writes
// can say it without including another repository.

namespace storage {

// duplicate_hostname: the zone has the hostname; duplicate_certificate: the zone has this leaf.
enum class WriteResult { ok, not_found, duplicate_hostname, duplicate_certificate, csr_not_found };

}  // namespace storage
