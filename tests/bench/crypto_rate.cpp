// In-process crypto rates (a benchmark helper, not a test): what the cores can do with the
// emulator's own crypto library, the ceiling for POST custom_csrs.
//   p256_csr: crypto::create_key_and_csr(p256v1) (key and CSR as PEM), as
//             api/custom_csrs/handlers.cpp does for one POST with one SAN;
//   rsa2048_key: crypto::generate_private_key(rsa2048), what the key pool's workers do.
// Each is run on 1 and on 2 threads for --seconds S (default 3). Prints one JSON object per line:
//   {"what":"p256_csr","threads":2,"ops":1234,"seconds":3.001,"per_second":411.2}
//
//   bench_crypto_rate [--seconds S] [--only p256_csr|rsa2048_key] [--threads 1,2]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "crypto/csr.hpp"
#include "crypto/keys.hpp"
#include "thread_counts.hpp"

namespace {

using Clock = std::chrono::steady_clock;

void p256_csr(int i) {
    crypto::CsrSubject subject{"US", "MA", "Boston", "Bench", std::nullopt, "h" + std::to_string(i) + ".acme.io"};
    auto made = crypto::create_key_and_csr(crypto::KeyType::p256v1, subject, {subject.common_name});
    if (made.csr_pem.empty() || made.private_key_pem.empty()) std::abort();
}

void rsa2048_key(int) {
    if (crypto::generate_private_key(crypto::KeyType::rsa2048).empty()) std::abort();
}

void run(const char* name, void (*op)(int), int threads, double seconds) {
    std::atomic<long> ops{0};
    auto start = Clock::now();
    auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            int i = t * 1000000;
            // Every thread finishes the operation it started: the rate counts whole operations.
            while (Clock::now() < deadline) {
                op(i++);
                ops.fetch_add(1, std::memory_order_relaxed);
            }
        });
    for (auto& t : pool) t.join();
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("{\"what\":\"%s\",\"threads\":%d,\"ops\":%ld,\"seconds\":%.3f,\"per_second\":%.1f}\n", name, threads,
                ops.load(), elapsed, static_cast<double>(ops.load()) / elapsed);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = 3.0;
    std::string only;
    std::vector<int> thread_counts = {1, 2};
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--seconds") seconds = std::stod(value);
        else if (flag == "--only") only = value;
        else if (flag == "--threads") thread_counts = bench::thread_counts(value);
        else {
            std::fprintf(stderr, "usage: bench_crypto_rate [--seconds S] [--only p256_csr|rsa2048_key] [--threads 1,2]\n");
            return 2;
        }
    }
    p256_csr(0);  // warm up OpenSSL's lazy initialisation outside the timed runs
    for (int threads : thread_counts) {
        if (only.empty() || only == "p256_csr") run("p256_csr", p256_csr, threads, seconds);
        if (only.empty() || only == "rsa2048_key") run("rsa2048_key", rsa2048_key, threads, seconds);
    }
    return 0;
}
