// The test CA's routes: its root (to trust it elsewhere) and a signer standing in for the
// customer's CA of the tutorial.
#include "api/emulator/ca_routes.hpp"

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/emulator/emulator_ca.hpp"
#include "api/guarded.hpp"
#include "api/json_body.hpp"
#include "crypto/error.hpp"

namespace api {
namespace {

// Emulator routes report errors in the same envelope; the code says which rule failed.
constexpr ErrorSpec bad_sign_request{400, 1400, "Unable to sign: send a CSR in PEM, or JSON {\"csr\": \"<PEM>\", \"days\": N}"};

Response pem_response(std::string pem) {
    Response response;
    response.status = 200;
    response.headers.emplace_back("Content-Type", "application/x-pem-file");
    response.body = std::move(pem);
    return response;
}

Response sign(const Request& request, Context& context) {
    std::string csr = request.body;
    int days = default_certificate_days;
    auto first = request.body.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && request.body[first] == '{') {
        nlohmann::json body = parse_object_body(request, bad_sign_request);
        if (!body.contains("csr") || !body["csr"].is_string()) throw ApiError(bad_sign_request);
        csr = body["csr"].get<std::string>();
        if (body.contains("days")) {
            if (!body["days"].is_number_integer() || body["days"].get<std::int64_t>() < 1 ||
                body["days"].get<std::int64_t>() > max_certificate_days)
                throw ApiError(bad_sign_request, "days must be a whole number from 1 to " + std::to_string(max_certificate_days));
            days = body["days"].get<int>();
        }
    }
    if (csr.find("-----BEGIN CERTIFICATE REQUEST-----") == std::string::npos) throw ApiError(bad_sign_request);
    try {
        return pem_response(sign_with_emulator_ca(context.emulator_ca, csr, days, context.now()));
    } catch (const crypto::Error& e) {
        throw ApiError(bad_sign_request, std::string("Unable to sign the CSR: ") + e.what());
    }
}

template <crypto::OriginCaRoot OriginCaRoots::*Root>
void origin_root_pem(const Request& request, Context& context, Completion done) {
    context.origin_ca.when_ready([&context, done, label = RequestLabel::of(request)] {
        done(guarded(context, label, [&] { return pem_response((context.origin_ca.get().*Root).certificate_pem); }));
    });
}

}  // namespace

void add_emulator_ca_routes(Router& router) {
    router.add(
        "GET", "/_emulator/ca/root.pem",
        [](const Request&, Context& context) { return pem_response(context.emulator_ca.root_certificate_pem); },
        Surface::emulator);
    router.add(
        "GET", "/_emulator/ca/intermediate.pem",
        [](const Request&, Context& context) { return pem_response(context.emulator_ca.intermediate_certificate_pem); },
        Surface::emulator);
    router.add("POST", "/_emulator/ca/sign", sign, Surface::emulator);
    // The Origin CA's roots: what an origin server's clients trust, apart from the test CA.
    // Made when first needed: a request that comes first continues on the roots' thread.
    router.add("GET", "/_emulator/ca/origin-rsa.pem", origin_root_pem<&OriginCaRoots::rsa>, Surface::emulator);
    router.add("GET", "/_emulator/ca/origin-ecc.pem", origin_root_pem<&OriginCaRoots::ecc>, Surface::emulator);
}

}  // namespace api
