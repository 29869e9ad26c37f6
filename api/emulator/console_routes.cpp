#include "api/emulator/console_routes.hpp"

#include "api/emulator/console_assets.hpp"

namespace api::emulator {
namespace {

// The console runs only its own script and reads only its own origin: no inline script, no
// framing (clickjacking of the reset button), no referrer leaking the emulator's address.
constexpr std::string_view content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

bool etag_matches(const Request& request, std::string_view etag) {
    auto wanted = request.header("If-None-Match");
    return wanted && (wanted->find(etag) != std::string_view::npos || *wanted == "*");
}

Response serve(const ConsoleAsset& asset, const Request& request) {
    Response response;
    // The files change with the binary: a browser revalidates each time and gets a 304 while
    // the ETag (the file's SHA-256) still matches.
    response.headers = {{"Content-Type", std::string(asset.content_type)},
                        {"Cache-Control", "no-cache"},
                        {"ETag", std::string(asset.etag)},
                        {"X-Content-Type-Options", "nosniff"},
                        {"Content-Security-Policy", std::string(content_security_policy)},
                        {"Referrer-Policy", "no-referrer"}};
    response.error_codes.emplace();
    if (etag_matches(request, asset.etag)) {
        response.status = 304;
        return response;
    }
    response.body = std::string(asset.body);
    return response;
}

}  // namespace

bool is_console_path(std::string_view path) noexcept {
    if (path == "/_emulator/ui") return true;
    for (const auto& asset : console_assets())
        if (path == asset.path) return true;
    return false;
}

void add_console_routes(Router& router) {
    for (const auto& asset : console_assets())
        router.add(
            "GET", asset.path, [&asset](const Request& request, Context&) { return serve(asset, request); },
            Surface::emulator);
}

}  // namespace api::emulator
