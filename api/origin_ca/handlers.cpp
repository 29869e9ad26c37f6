// /certificates: the Origin CA. Create (a CSR signed by the emulator's Origin CA roots for
// hostnames in the account's zones), list by zone, get, and revoke. Only the CSR is stored;
// the private key never reaches the emulator.
#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/guarded.hpp"
#include "api/json_body.hpp"
#include "api/json_writer.hpp"
#include "api/origin_ca/request.hpp"
#include "api/paging.hpp"
#include "api/routes.hpp"
#include "api/zones/zone_names.hpp"
#include "crypto/error.hpp"
#include "crypto/origin_ca.hpp"

namespace api {
namespace {

using namespace origin_ca_errors;
using nlohmann::json;

// Real answers carry Go's time.String() form ("2041-12-01 10:00:00 +0000 UTC"), which
// Cloudflare's own issuer parses; stored as RFC 3339 seconds ("2041-12-01T10:00:00Z").
std::string go_time(const std::string& rfc3339) {
    return rfc3339.substr(0, 10) + " " + rfc3339.substr(11, 8) + " +0000 UTC";
}

void write_certificate(JsonWriter& out, const storage::OriginCertificate& c) {
    out.begin_object()
        .key("id").string(c.id)
        .key("certificate").string(c.certificate_pem)
        .key("csr").string(c.csr_pem)
        .key("hostnames").raw(c.hostnames)
        .key("request_type").string(c.request_type)
        .key("requested_validity").number(c.requested_validity)
        .key("expires_on").string(go_time(c.expires_on));
    if (c.revoked_at) out.key("revoked_at").string(*c.revoked_at);
    out.end_object();
}

Response one_certificate(const storage::OriginCertificate& c) {
    SuccessBody body(c.certificate_pem.size() + c.csr_pem.size() + 512);
    JsonWriter out(body.out());
    write_certificate(out, c);
    return body.finish();
}

// The CSR's key must be what request_type asks for; keyless certificates take either. True: the
// RSA root signs it, false: the ECC one.
bool signed_by_rsa_root(const OriginCaRequest& input) {
    crypto::OriginCsrFacts facts;
    try {
        facts = crypto::inspect_origin_csr(input.csr);
    } catch (const crypto::Error& e) {
        throw ApiError(csr_invalid, fill(csr_invalid.message, e.what()));
    }
    if (!facts.signature_valid) throw ApiError(csr_invalid, fill(csr_invalid.message, "its signature does not verify"));
    using A = crypto::CsrKeyAlgorithm;
    bool rsa = facts.algorithm == A::rsa && facts.bits >= 2048;
    bool ecc = facts.algorithm == A::ec;
    bool fits = input.request_type == "origin-rsa"   ? rsa
                : input.request_type == "origin-ecc" ? ecc
                                                     : rsa || ecc;
    if (!fits) throw ApiError(csr_key_mismatch, fill(csr_key_mismatch.message, input.request_type));
    return rsa;
}

// Each hostname in an active zone that exists; the zones the certificate is listed under.
std::vector<std::string> zones_of(Context& context, const std::vector<std::string>& hostnames) {
    const std::string now = rfc3339_micros(context.now());
    std::vector<std::string> zone_ids;
    for (const auto& name : hostnames) {
        auto zone = zone_covering(context, name);
        if (!zone || zone->activated_on > now)
            throw ApiError(hostname_outside_account, fill(hostname_outside_account.message, name));
        if (std::find(zone_ids.begin(), zone_ids.end(), zone->id) == zone_ids.end()) zone_ids.push_back(zone->id);
    }
    return zone_ids;
}

Response issue(Context& context, const OriginCaRequest& input, const crypto::OriginCaRoot& root,
               const std::vector<std::string>& zone_ids) {
    TimePoint now = context.now();
    const std::int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    const std::int64_t not_after = seconds + input.requested_validity * 86400;
    crypto::OriginCertificate issued;
    try {
        issued = crypto::issue_origin_certificate(root, input.csr, input.hostnames, seconds, not_after);
    } catch (const crypto::Error& e) {
        throw ApiError(csr_invalid, fill(csr_invalid.message, e.what()));
    }
    storage::OriginCertificate c;
    c.id = issued.serial_decimal;
    c.request_type = input.request_type;
    c.requested_validity = input.requested_validity;
    c.hostnames = json(input.hostnames).dump();
    c.csr_pem = input.csr;
    c.certificate_pem = issued.certificate_pem;
    c.created_at = rfc3339_micros(now);
    c.expires_on = rfc3339_seconds(from_unix_seconds(not_after));
    context.origin_certificates.insert(c, zone_ids);
    return one_certificate(c);
}

// Checked at once; signed once the roots are there (made when first needed, on their own thread:
// the first request of a new database continues there rather than holding this one).
void create(const Request& request, Context& context, Completion done) {
    OriginCaRequest input = read_origin_ca_request(parse_object_body(request, body_undecodable));
    const bool rsa = signed_by_rsa_root(input);
    auto zone_ids = zones_of(context, input.hostnames);
    context.origin_ca.when_ready([&context, done, rsa, input = std::move(input), zone_ids = std::move(zone_ids),
                                  label = RequestLabel::of(request)] {
        done(guarded(context, label, [&]() -> Response {
            const auto& roots = context.origin_ca.get();
            return issue(context, input, rsa ? roots.rsa : roots.ecc, zone_ids);
        }));
    });
}

// Ids are decimal serials; anything else is no certificate of ours.
const std::string& certificate_id(const Request& request) {
    const std::string& id = request.param("certificate_id");
    if (id.empty() || id.size() > 49 || id.find_first_not_of("0123456789") != std::string::npos) throw ApiError(not_found);
    return id;
}

Response get(const Request& request, Context& context) {
    auto c = context.origin_certificates.find(certificate_id(request));
    if (!c) throw ApiError(not_found);
    return one_certificate(*c);
}

// Revoking again answers the first revocation's time.
Response revoke(const Request& request, Context& context) {
    auto c = context.origin_certificates.revoke(certificate_id(request), rfc3339_micros(context.now()));
    if (!c) throw ApiError(not_found);
    return success({{"id", c->id}, {"revoked_at", *c->revoked_at}});
}

// Paged as the SDKs page (page, per_page); without zone_id, 1012 as Cloudflare answers.
Response list(const Request& request, Context& context) {
    Query query(request.query);
    auto zone_id = query.get("zone_id");
    if (!zone_id || zone_id->empty()) throw ApiError(zone_id_required);
    Paging paging = read_paging(query, 20, request_invalid);
    storage::OriginCertificatePage page = context.origin_certificates.list(*zone_id, paging.page, paging.per_page);
    SuccessBody body(page.items.size() * 3000 + 64);
    JsonWriter out(body.out());
    out.begin_array();
    for (const auto& c : page.items) write_certificate(out, c);
    out.end_array();
    return body.finish_list(page_info(paging, page.items.size(), page.total_count));
}

}  // namespace

void add_origin_ca_routes(Router& router) {
    router.add("POST", "/certificates", create);
    router.add("GET", "/certificates", list);
    router.add("GET", "/certificates/{certificate_id}", get);
    router.add("DELETE", "/certificates/{certificate_id}", revoke);
}

}  // namespace api
