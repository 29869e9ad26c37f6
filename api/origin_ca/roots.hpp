#pragma once
// The Origin CA's two roots: made on first start, kept in the database, published under
// /_emulator/ca/origin-rsa.pem and origin-ecc.pem.
#include "api/time_text.hpp"
#include "crypto/origin_ca.hpp"

namespace storage {
class OriginCaRepository;
}

namespace api {

struct OriginCaRoots {
    crypto::OriginCaRoot rsa, ecc;
};

OriginCaRoots load_or_create_origin_roots(storage::OriginCaRepository& repository, TimePoint now);

}  // namespace api
