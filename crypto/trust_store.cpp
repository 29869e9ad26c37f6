// The roots uploads may chain to.
#include "crypto/certificate.hpp"
#include "crypto/detail/certificates.hpp"
#include "crypto/detail/trust_store_access.hpp"

#include <exception>
#include <mutex>
#include <vector>

namespace crypto {

namespace {
std::size_t add_all(X509_STORE* store, std::vector<detail::X509Ptr> certs);
}

struct TrustStore::Impl {
    detail::X509Store store;
    std::mutex deferred_mutex;
    std::vector<std::string> deferred;  // bundle files not read yet
    std::exception_ptr deferred_error;

    // Reads the deferred bundles once; later calls see the outcome.
    void load_deferred() {
        std::lock_guard guard(deferred_mutex);
        if (deferred_error) std::rethrow_exception(deferred_error);
        try {
            while (!deferred.empty()) {
                std::string path = deferred.front();
                detail::clear_errors();
                detail::Bio bio(BIO_new_file(path.c_str(), "r"));
                detail::check(bio != nullptr, "cannot read trust bundle " + path);
                try {
                    add_all(store.get(), detail::read_certificates(bio.get()));
                } catch (const Error& e) {
                    throw Error("trust bundle " + path + ": " + e.what());
                }
                deferred.erase(deferred.begin());
            }
        } catch (...) {
            deferred_error = std::current_exception();
            throw;
        }
    }
};

X509_STORE* TrustStoreAccess::store(const TrustStore& trust) {
    if (!trust.impl_) return nullptr;
    trust.impl_->load_deferred();
    return trust.impl_->store.get();
}

namespace {

std::size_t store_size(X509_STORE* store) {
    X509_STORE_lock(store);
    int n = sk_X509_OBJECT_num(X509_STORE_get0_objects(store));
    X509_STORE_unlock(store);
    return n > 0 ? static_cast<std::size_t>(n) : 0;
}

std::size_t add_all(X509_STORE* store, std::vector<detail::X509Ptr> certs) {
    std::size_t before = store_size(store);
    for (auto& cert : certs) {
        detail::clear_errors();
        // A certificate already in the store is a success without a second copy.
        detail::check(X509_STORE_add_cert(store, cert.get()) == 1, "X509_STORE_add_cert");
    }
    return store_size(store) - before;
}

}  // namespace

TrustStore::TrustStore() : impl_(std::make_unique<Impl>()) {
    detail::clear_errors();
    impl_->store.reset(X509_STORE_new());
    detail::check(impl_->store != nullptr, "X509_STORE_new");
}

TrustStore::~TrustStore() = default;
TrustStore::TrustStore(TrustStore&&) noexcept = default;
TrustStore& TrustStore::operator=(TrustStore&&) noexcept = default;

std::size_t TrustStore::add_bundle_file(const std::string& path) {
    if (!impl_) throw Error("TrustStore used after move");
    detail::clear_errors();
    detail::Bio bio(BIO_new_file(path.c_str(), "r"));
    detail::check(bio != nullptr, "cannot read trust bundle " + path);
    try {
        return add_all(impl_->store.get(), detail::read_certificates(bio.get()));
    } catch (const Error& e) {
        throw Error("trust bundle " + path + ": " + e.what());
    }
}

std::size_t TrustStore::add_pem(std::string_view pem) {
    if (!impl_) throw Error("TrustStore used after move");
    return add_all(impl_->store.get(), detail::read_certificates(pem));
}

void TrustStore::add_bundle_file_on_first_use(const std::string& path) {
    if (!impl_) throw Error("TrustStore used after move");
    std::lock_guard guard(impl_->deferred_mutex);
    impl_->deferred.push_back(path);
}

std::size_t TrustStore::size() const {
    if (!impl_) return 0;
    impl_->load_deferred();
    return store_size(impl_->store.get());
}

}  // namespace crypto
