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

// The roots as requests reach them. A new database's RSA-2048 root is 0.1-0.6 s of a core, more
// than the rest of start-up together, so they are made (or loaded) on a thread of their own and
// the listening line does not wait. That thread begins at release(), called once the server
// listens (begun during start-up, it took ~3 ms of a new database's 23 ms to the listening line:
// the cores were busy with the start-up itself), or at the first get(), whichever comes first; a
// request that needs the roots before they exist waits for them (only the first second of a new
// database's life can). Its destruction waits for that thread (releasing it if nothing did), so
// the roots are stored before the process exits.
class OriginCaRootsSource {
public:
    OriginCaRootsSource() = default;
    OriginCaRootsSource(const OriginCaRootsSource&) = delete;
    OriginCaRootsSource& operator=(const OriginCaRootsSource&) = delete;
    ~OriginCaRootsSource();

    // Once, before requests come.
    void start(std::function<OriginCaRoots()> make);
    void release() const;
    // Rethrows what making them threw. Before start(): empty roots (contexts of unit tests).
    const OriginCaRoots& get() const;

private:
    struct Gate;
    std::shared_ptr<Gate> gate_;
    std::shared_future<OriginCaRoots> roots_;
};

}  // namespace api
