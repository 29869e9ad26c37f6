#pragma once
// The Origin CA's two roots: made on first start, kept in the database, published under
// /_emulator/ca/origin-rsa.pem and origin-ecc.pem.
#include <functional>
#include <future>
#include <memory>
#include <thread>

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
// measured. So start() prepares a thread that waits; the first when_ready() lets it make or load
// the roots, and the requests waiting for them continue on that thread, never holding a serving
// thread meanwhile.
class OriginCaRootsSource {
public:
    OriginCaRootsSource() = default;
    OriginCaRootsSource(const OriginCaRootsSource&) = delete;
    OriginCaRootsSource& operator=(const OriginCaRootsSource&) = delete;
    ~OriginCaRootsSource();

    // Once, before requests come.
    void start(std::function<OriginCaRoots()> make);
    // Calls `then` once the roots are made or making them failed (get() says which): at once on
    // the caller's thread when that is already so, else on the roots' thread. Before start(): at
    // once.
    void when_ready(std::function<void()> then) const;
    // The roots (waits for them if not made yet); rethrows what making them threw. Before
    // start(): empty roots (contexts of unit tests).
    const OriginCaRoots& get() const;
    // Joins the roots' thread: it makes nothing if nobody asked; callbacks it is calling finish.
    // Must run before the executor those callbacks post to goes away. Idempotent.
    void stop();

private:
    struct Gate;
    std::shared_ptr<Gate> gate_;
    std::shared_future<OriginCaRoots> roots_;
    std::thread thread_;
};

}  // namespace api
