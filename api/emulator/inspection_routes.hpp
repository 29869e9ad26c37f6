#pragma once
#include "api/router.hpp"

namespace api::emulator {

// Read-only views the web console needs beyond the state document, changing nothing:
//  GET /_emulator/zones/{zone_id}/custom_hostnames/{id}/timeline: the hostname as the API shows
//      it (without settling it first) and its stored status changes, both verifications;
//  GET /_emulator/{zones|accounts}/{id}/custom_csrs/{id}/decoded: the CSR read back from its PEM
//      (subject, SANs, key, signature), never its private key;
//  GET /_emulator/certificates: every certificate held (custom, a hostname's uploaded or DV
//      one, Origin CA, the test CA's), its leaf's names, issuer and validity.
void add_inspection_routes(Router& router);

}  // namespace api::emulator
