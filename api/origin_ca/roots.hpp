#pragma once
// The Origin CA's two roots: made on first start, kept in the database, published under
// /_emulator/ca/origin-rsa.pem and origin-ecc.pem.
#include <functional>
#include <future>

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

// The roots as requests reach them. A new database's RSA-2048 root is 0.1-0.6 s of a core, more
// than the rest of start-up together, so start() makes (or loads) them on a thread of its own
// and the listening line does not wait; a request that needs them before they exist waits for
// them (only the first second of a new database's life can). Its destruction waits for that
// thread, so the roots are stored before the process exits.
class OriginCaRootsSource {
public:
    void start(std::function<OriginCaRoots()> make);
    // Rethrows what making them threw. Before start(): empty roots (contexts of unit tests).
    const OriginCaRoots& get() const;

private:
    std::shared_future<OriginCaRoots> roots_;
};

}  // namespace api
