#pragma once
// The Origin CA's two roots: made on first start, kept in the database, published under
// /_emulator/ca/origin-rsa.pem and origin-ecc.pem.
#include <functional>
#include <future>
#include <memory>

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

// The roots as requests reach them, made (or loaded) when a request first needs them. A new
// database's RSA-2048 root is 0.1-0.6 s of a core: made eagerly it was more than the rest of
// start-up together, on every start (the test suite's emulators, mostly never asked for an
// Origin CA certificate, paid it each time), and it ran beside whatever the first seconds
// measured. So start() prepares a thread that waits; the first get() lets it make or load the
// roots and waits for them (that first request takes that long; later ones find them ready). The
// destruction waits for that thread, which makes nothing if no request asked.
class OriginCaRootsSource {
public:
    OriginCaRootsSource() = default;
    OriginCaRootsSource(const OriginCaRootsSource&) = delete;
    OriginCaRootsSource& operator=(const OriginCaRootsSource&) = delete;
    ~OriginCaRootsSource();

    // Once, before requests come.
    void start(std::function<OriginCaRoots()> make);
    // Rethrows what making them threw. Before start(): empty roots (contexts of unit tests).
    const OriginCaRoots& get() const;

private:
    struct Gate;
    std::shared_ptr<Gate> gate_;
    std::shared_future<OriginCaRoots> roots_;
};

}  // namespace api
