#pragma once
// Every route the API serves, registered per resource next to its handlers; Service calls these
// once. A resource's handlers include this header, not service.hpp.
#include "api/router.hpp"

namespace api::emulator {
class ControlPlane;
}

namespace api {

void add_custom_csr_routes(Router& router);          // api/custom_csrs/handlers.cpp
void add_custom_hostname_routes(Router& router);     // api/custom_hostnames/handlers.cpp
void add_pack_certificate_routes(Router& router);    // api/custom_hostnames/pack_certificates.cpp
void add_fallback_origin_routes(Router& router);     // api/custom_hostnames/fallback_origin.cpp
void add_custom_certificate_routes(Router& router);  // api/custom_certificates/handlers.cpp
void add_zone_routes(Router& router);                // api/zones/handlers.cpp
void add_origin_ca_routes(Router& router);           // api/origin_ca/handlers.cpp
void add_certificate_pack_routes(Router& router);    // api/certificate_packs/handlers.cpp
void add_ssl_verification_routes(Router& router);    // api/certificate_packs/verification.cpp
void add_certificate_pack_manual_routes(Router& router);  // api/certificate_packs/manual_routes.cpp

// Every /_emulator/ route: health, the test CA, state (reset, snapshot, seed), readiness, and
// the control plane's own (clock, journal, faults, rate limit, metrics). api/emulator/routes.cpp
void add_emulator_routes(Router& router, emulator::ControlPlane& control);

}  // namespace api
