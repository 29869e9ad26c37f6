// The raw OpenSSL 3 anchor for POST custom_csrs p256v1 (a benchmark helper, not a test): what
// plain OpenSSL calls do per key with everything fetched once, no project code. Per thread:
// one EC P-256 keygen context (made and initialised once, reused for every key) and the SHA-256
// digest fetched once; per key: EVP_PKEY_generate, a CSR (subject CN, one DNS SAN) signed with
// SHA-256, its PEM and the key's PKCS#8 PEM written to memory BIOs.
// Runs for --seconds S (default 3) on each of --threads (default 1,2); prints one JSON line each:
//   {"what":"raw_p256_csr","threads":2,"ops":1234,"seconds":3.001,"per_second":411.2}
//
//   bench_openssl_raw_rate [--seconds S] [--threads 1,2]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "thread_counts.hpp"

namespace {

using Clock = std::chrono::steady_clock;

void require(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "openssl_raw_rate: %s failed\n", what);
        std::abort();
    }
}

// What one thread reuses for every key.
struct Worker {
    EVP_PKEY_CTX* keygen = nullptr;
    EVP_MD* sha256 = nullptr;

    Worker() {
        keygen = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
        require(keygen != nullptr, "EVP_PKEY_CTX_new_from_name");
        require(EVP_PKEY_keygen_init(keygen) == 1, "EVP_PKEY_keygen_init");
        require(EVP_PKEY_CTX_set_group_name(keygen, "P-256") == 1, "EVP_PKEY_CTX_set_group_name");
        sha256 = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
        require(sha256 != nullptr, "EVP_MD_fetch");
    }
    ~Worker() {
        EVP_MD_free(sha256);
        EVP_PKEY_CTX_free(keygen);
    }

    // One key, one CSR, both as PEM; returns the bytes written so the work cannot be elided.
    std::size_t one(int i) {
        EVP_PKEY* key = nullptr;
        require(EVP_PKEY_generate(keygen, &key) == 1, "EVP_PKEY_generate");

        std::string host = "h" + std::to_string(i) + ".acme.io";
        X509_REQ* req = X509_REQ_new();
        require(req != nullptr, "X509_REQ_new");
        require(X509_REQ_set_version(req, X509_REQ_VERSION_1) == 1, "X509_REQ_set_version");
        X509_NAME* name = X509_REQ_get_subject_name(req);
        require(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(host.c_str()),
                                           -1, -1, 0) == 1,
                "X509_NAME_add_entry_by_txt");

        std::string san_value = "DNS:" + host;
        X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, san_value.c_str());
        require(san != nullptr, "X509V3_EXT_conf_nid");
        STACK_OF(X509_EXTENSION)* extensions = sk_X509_EXTENSION_new_null();
        require(extensions != nullptr && sk_X509_EXTENSION_push(extensions, san) > 0, "sk_X509_EXTENSION_push");
        require(X509_REQ_add_extensions(req, extensions) == 1, "X509_REQ_add_extensions");
        sk_X509_EXTENSION_pop_free(extensions, X509_EXTENSION_free);

        require(X509_REQ_set_pubkey(req, key) == 1, "X509_REQ_set_pubkey");
        require(X509_REQ_sign(req, key, sha256) > 0, "X509_REQ_sign");

        BIO* csr_pem = BIO_new(BIO_s_mem());
        BIO* key_pem = BIO_new(BIO_s_mem());
        require(csr_pem != nullptr && key_pem != nullptr, "BIO_new");
        require(PEM_write_bio_X509_REQ(csr_pem, req) == 1, "PEM_write_bio_X509_REQ");
        require(PEM_write_bio_PKCS8PrivateKey(key_pem, key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
                "PEM_write_bio_PKCS8PrivateKey");
        std::size_t bytes = BIO_pending(csr_pem) + BIO_pending(key_pem);
        BIO_free(csr_pem);
        BIO_free(key_pem);
        X509_REQ_free(req);
        EVP_PKEY_free(key);
        return bytes;
    }
};

void run(int threads, double seconds) {
    std::atomic<long> ops{0};
    std::atomic<std::size_t> bytes{0};
    auto start = Clock::now();
    auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            Worker worker;
            int i = t * 1000000;
            std::size_t written = 0;
            // Every thread finishes the key it started: the rate counts whole operations.
            while (Clock::now() < deadline) {
                written += worker.one(i++);
                ops.fetch_add(1, std::memory_order_relaxed);
            }
            bytes.fetch_add(written);
        });
    for (auto& t : pool) t.join();
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (bytes.load() == 0 && ops.load() > 0) std::abort();
    std::printf("{\"what\":\"raw_p256_csr\",\"threads\":%d,\"ops\":%ld,\"seconds\":%.3f,\"per_second\":%.1f}\n", threads,
                ops.load(), elapsed, static_cast<double>(ops.load()) / elapsed);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = 3.0;
    std::vector<int> thread_counts = {1, 2};
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--seconds") seconds = std::stod(value);
        else if (flag == "--threads") thread_counts = bench::thread_counts(value);
        else {
            std::fprintf(stderr, "usage: bench_openssl_raw_rate [--seconds S] [--threads 1,2]\n");
            return 2;
        }
    }
    Worker().one(0);  // OpenSSL's lazy initialisation happens outside the timed runs
    for (int threads : thread_counts) run(threads, seconds);
    return 0;
}
