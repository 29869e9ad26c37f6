// JSON bodies per route: the first byte picks a route that takes a body (and whether the path
// names an existing object or not), the rest goes as the body through Service.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "service_harness.hpp"

namespace {

struct Route {
    const char* method;
    const char* path;  // {zone}, {account} and the seeded objects' {csr}, {hostname}, {certificate} are replaced
    const char* query;
};

constexpr Route routes[] = {
    {"POST", "/client/v4/zones/{zone}/custom_csrs", ""},
    {"POST", "/client/v4/accounts/{account}/custom_csrs", ""},
    {"POST", "/client/v4/zones/{zone}/custom_hostnames", ""},
    {"PATCH", "/client/v4/zones/{zone}/custom_hostnames/{hostname}", ""},
    {"PATCH", "/client/v4/zones/{zone}/custom_hostnames/00000000-0000-4000-8000-0000000000ff", ""},
    {"POST", "/client/v4/zones/{zone}/custom_certificates", ""},
    {"PATCH", "/client/v4/zones/{zone}/custom_certificates/{certificate}", ""},
    {"PUT", "/client/v4/zones/{zone}/custom_certificates/prioritize", ""},
    {"PUT", "/client/v4/zones/{zone}/custom_hostnames/fallback_origin", ""},
    {"POST", "/_emulator/ca/sign", ""},
    {"POST", "/_emulator/reset", ""},
    {"PUT", "/_emulator/state", ""},
    {"DELETE", "/client/v4/zones/{zone}/custom_csrs/{csr}", ""},
    {"GET", "/client/v4/zones/{zone}/custom_hostnames", "hostname=app.acme.io"},
};
constexpr std::size_t route_count = sizeof routes / sizeof routes[0];

std::string fill(std::string path, const fuzz::Harness& harness) {
    auto put = [&](const std::string& name, const char* value) {
        if (auto at = path.find(name); at != std::string::npos) path.replace(at, name.size(), value);
    };
    put("{zone}", fuzz::zone);
    put("{account}", fuzz::account);
    put("{csr}", harness.csr_id.c_str());
    put("{hostname}", harness.hostname_id.c_str());
    put("{certificate}", harness.certificate_id.c_str());
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static fuzz::Harness harness;
    if (size == 0) return 0;
    const Route& route = routes[data[0] % route_count];
    harness.reset();
    harness.call(route.method, fill(route.path, harness), route.query, std::string(reinterpret_cast<const char*>(data) + 1, size - 1),
                 {{"Authorization", "Bearer fuzz"}, {"Content-Type", "application/json"}});
    return 0;
}
