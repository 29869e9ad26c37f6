#include "api/origin_ca/roots.hpp"

#include "storage/origin_ca_repository.hpp"

namespace api {
namespace {

crypto::OriginCaRoot load_or_create(storage::OriginCaRepository& repository, crypto::OriginRootKind kind, TimePoint now) {
    const std::string name = kind == crypto::OriginRootKind::rsa ? "rsa" : "ecc";
    if (auto stored = repository.root(name)) return {stored->certificate_pem, stored->private_key_pem};
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    auto root = crypto::create_origin_root(kind, seconds);
    repository.insert_root({name, rfc3339_micros(now), root.certificate_pem, root.private_key_pem});
    return root;
}

}  // namespace

OriginCaRoots load_or_create_origin_roots(storage::OriginCaRepository& repository, TimePoint now) {
    return {load_or_create(repository, crypto::OriginRootKind::rsa, now),
            load_or_create(repository, crypto::OriginRootKind::ecc, now)};
}

void OriginCaRootsSource::start(std::function<OriginCaRoots()> make) {
    roots_ = std::async(std::launch::async, std::move(make)).share();
}

const OriginCaRoots& OriginCaRootsSource::get() const {
    static const OriginCaRoots none;
    return roots_.valid() ? roots_.get() : none;
}

}  // namespace api
