// /zones/{zone_id}/custom_hostnames: create, list, get, edit, delete.
#include <nlohmann/json.hpp>

#include "api/custom_hostnames/dcv_records.hpp"
#include "api/custom_hostnames/hostname_json.hpp"
#include "api/custom_hostnames/hostname_state.hpp"
#include "api/custom_hostnames/request.hpp"
#include "api/custom_hostnames/ssl.hpp"
#include "api/custom_hostnames/waiting_for_key.hpp"
#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/identifiers.hpp"
#include "api/json_body.hpp"
#include "api/name_rules.hpp"
#include "api/paging.hpp"
#include "api/routes.hpp"
#include "api/text.hpp"

namespace api {
namespace {

using namespace hostname_errors;
using nlohmann::json;

const std::string& hostname_id(const Request& request) {
    const std::string& id = request.param("custom_hostname_id");
    if (!is_uuid(id)) throw ApiError(id_invalid);
    return id;
}

void check_write(storage::WriteResult result) {
    switch (result) {
        case storage::WriteResult::ok: return;
        case storage::WriteResult::duplicate_hostname: throw ApiError(duplicate);
        case storage::WriteResult::duplicate_certificate: break;  // hostnames may share a certificate
        // The CSR was deleted between the certificate check and the write.
        case storage::WriteResult::csr_not_found: throw ApiError(csr_not_found);
        case storage::WriteResult::not_found: throw ApiError(not_found);
    }
}

Response create(const Request& request, Context& context) {
    CustomHostnameRequest input = read_custom_hostname_request(parse_object_body(request, body_undecodable));
    storage::CustomHostname h;
    h.zone_id = request.param("zone_id");
    // --hostname-quota: counted before the insert, so two creates racing for the last place may
    // both get in; a test of the quota creates one at a time.
    if (context.hostname_quota &&
        context.hostnames.list(h.zone_id, {}, 1, 1, storage::HostnameOrder::created_at, false).total_count >=
            *context.hostname_quota)
        throw ApiError(quota_exceeded);
    h.hostname = std::move(input.hostname);
    h.custom_metadata = std::move(input.custom_metadata);
    h.custom_origin_server = std::move(input.custom_origin_server);
    h.custom_origin_sni = std::move(input.custom_origin_sni);
    if (input.ssl) h.ssl = make_hostname_ssl(context, h.zone_id, h.hostname, *input.ssl);
    h.id = context.new_id();
    h.created_at = rfc3339_micros(context.now());
    h.ownership_token = context.new_id();
    start_lifecycle(context, h, true, KeyMiss::wait);
    check_write(context.hostnames.insert(h));
    // dns mode: the first check is due at once (a step 0 auto hostname is settled already).
    if (context.validation.wake) context.validation.wake();
    // Cloudflare's docs give 201 for a created custom hostname (its schema says 200).
    return success(custom_hostname_json(h, context.log), 201);
}

Response edit(const Request& request, Context& context) {
    const std::string& zone_id = request.param("zone_id");
    const std::string& id = hostname_id(request);
    json body = parse_object_body(request, body_undecodable);
    auto h = context.hostnames.find(zone_id, id);
    if (!h) throw ApiError(not_found);
    CustomHostnameEdit input = read_custom_hostname_edit(body, h->hostname);
    if (input.custom_metadata) h->custom_metadata = std::move(*input.custom_metadata);
    if (input.custom_origin_server) h->custom_origin_server = std::move(*input.custom_origin_server);
    if (input.custom_origin_sni) h->custom_origin_sni = std::move(*input.custom_origin_sni);
    require_origin_for_sni(h->custom_origin_server, h->custom_origin_sni);
    settle(context, *h, KeyMiss::wait);  // what a read would show now is what the edit starts from
    if (input.ssl) {
        HostnameSslRequest& wanted = *input.ssl;
        bool managed_before = h->ssl && !h->ssl->certificate;
        if (wanted.managed() && managed_before && !wanted.method_given) {
            // Cloudflare: a CA change needs ssl.type and ssl.method with it (refused otherwise);
            // any other ssl edit without them (settings alone, say) keeps the method, the records
            // and the active certificate.
            if (wanted.certificate_authority && wanted.certificate_authority != h->ssl->certificate_authority)
                throw ApiError(method_and_type_required,
                               "Both the validation type and the validation method are required to change the "
                               "certificate authority. Check your input and try again.");
            wanted.method = h->ssl->method;
            if (!wanted.certificate_authority) wanted.certificate_authority = h->ssl->certificate_authority;
        }
        if (wanted.managed() && managed_before && !wanted.wildcard_given) wanted.wildcard = h->ssl->wildcard;
        require_txt_for_wildcard(h->hostname, wanted);
        bool repeats = wanted.managed() && h->ssl && !h->ssl->certificate && h->ssl->method == wanted.method &&
                       h->ssl->type == "dv";
        bool uploaded_before = h->ssl && h->ssl->certificate;
        if (wanted.managed() && uploaded_before && !wanted.method_given) {
            // No DCV method: the uploaded certificate stays (a method would return the hostname
            // to a Cloudflare-managed one); settings change as sent.
            if (wanted.certificate_authority) throw ApiError(method_and_type_required);
            if (wanted.settings) h->ssl->settings = wanted.settings;
        } else if (repeats) {
            // Cloudflare's refresh: the same DCV records, validation re-run from now; the other
            // settings as sent.
            auto replacement = make_hostname_ssl(context, zone_id, h->hostname, wanted);
            replacement.id = h->ssl->id;
            // No CA asked for: the one it has stays (a refresh is no CA change).
            if (!wanted.certificate_authority) replacement.certificate_authority = h->ssl->certificate_authority;
            replacement.dcv_token = h->ssl->dcv_token;
            replacement.status = h->ssl->status;
            replacement.status_changed_at = h->ssl->status_changed_at;
            replacement.attempts = h->ssl->attempts;
            replacement.next_check_at = h->ssl->next_check_at;
            replacement.validation_errors = h->ssl->validation_errors;
            replacement.dv_ecdsa_chain_pem = h->ssl->dv_ecdsa_chain_pem;
            replacement.dv_ecdsa_private_key_pem = h->ssl->dv_ecdsa_private_key_pem;
            replacement.dv_rsa_chain_pem = h->ssl->dv_rsa_chain_pem;
            replacement.dv_rsa_private_key_pem = h->ssl->dv_rsa_private_key_pem;
            replacement.dv_ecdsa_certificate_id = h->ssl->dv_ecdsa_certificate_id;
            replacement.dv_rsa_certificate_id = h->ssl->dv_rsa_certificate_id;
            // After a timeout (or a lapse) the refresh starts a new cycle, with new tokens as
            // Cloudflare's: the old records must not keep validating it.
            const std::string& was = h->ssl->status;
            if (was.ends_with("_timed_out") || was == "expired") replacement.dcv_token = dcv_token_from_id(context.new_id());
            // A CA change re-issues the certificate through the pending states (its new pair, a
            // new serial, once active); the current pair is served meanwhile.
            bool new_ca = wanted.certificate_authority && h->ssl->certificate_authority &&
                          *wanted.certificate_authority != *h->ssl->certificate_authority;
            h->ssl = std::move(replacement);
            if (context.validation.enabled) {
                auto state = state_of(*h);
                lifecycle::refresh(state, context.now());
                if (new_ca) lifecycle::reissue(state, context.now());
                store_state(state, *h);
            } else {
                start_lifecycle(context, *h, false, KeyMiss::wait);
            }
        } else {
            // A new method or certificate: new records, validation from the start.
            h->ssl = make_hostname_ssl(context, zone_id, h->hostname, wanted);
            start_lifecycle(context, *h, false, KeyMiss::wait);
        }
    }
    if (context.validation.enabled && context.validation.mode == lifecycle::Mode::dns) {
        auto state = state_of(*h);
        lifecycle::check_now(state, context.now());
        store_state(state, *h);
    }
    check_write(context.hostnames.update(*h));
    if (context.validation.wake) context.validation.wake();  // the checks just made due run now
    // 202 as Cloudflare's status-code documentation gives it for an edit.
    return success(custom_hostname_json(*h, context.log), 202);
}

Response get(const Request& request, Context& context) {
    auto h = context.hostnames.find(request.param("zone_id"), hostname_id(request));
    if (!h) throw ApiError(not_found);
    settle_and_store(context, *h, KeyMiss::wait);
    return success(custom_hostname_json(*h, context.log));
}

Response remove(const Request& request, Context& context) {
    const std::string& id = hostname_id(request);
    if (!context.hostnames.remove(request.param("zone_id"), id)) throw ApiError(not_found);
    // The schema's bare {"id"} (what the TypeScript and Go SDKs read) and the envelope (what
    // python-cloudflare reads), in one body.
    return json_response(200, {{"id", id},
                               {"success", true},
                               {"errors", json::array()},
                               {"messages", json::array()},
                               {"result", {{"id", id}}}});
}

// GET .../custom_hostnames/quota, from --hostname-quota: the one limit is both the soft
// `allocated` and the `hard_cap` creation stops at; without one (0) both are 0.
Response quota(const Request& request, Context& context) {
    std::int64_t used =
        context.hostnames.list(request.param("zone_id"), {}, 1, 1, storage::HostnameOrder::created_at, false).total_count;
    std::int64_t cap = context.hostname_quota.value_or(0);
    return success({{"allocated", cap}, {"used", used}, {"exceeded", cap > 0 && used > cap}, {"hard_cap", cap}});
}

std::optional<bool> query_bool(const Query& query, const char* key) {
    auto value = query.get(key);
    if (!value) return std::nullopt;
    if (*value == "true" || *value == "1") return true;
    if (*value == "false" || *value == "0") return false;
    throw ApiError(body_undecodable, "Invalid value for '" + std::string(key) + "': expected true or false.");
}

Response list(const Request& request, Context& context) {
    Query query(request.query);
    Paging paging = read_paging(query, 20, body_undecodable);
    storage::HostnameFilter filter;
    filter.id = query.get("id");
    auto exact = query.get("hostname.exact");
    if (!exact) exact = query.get("hostname");
    if (exact) filter.hostname_exact = lowercase(*exact);
    if (auto contain = query.get("hostname.contain")) {
        if (contain->empty() || contain->size() > 255 || contain->find(' ') != std::string::npos ||
            contain->find_first_of(special_characters) != std::string::npos)
            throw ApiError(contain_invalid);
        filter.hostname_contains = lowercase(*contain);
    }
    if (auto prefix = query.get("hostname.startsWith")) filter.hostname_starts_with = lowercase(*prefix);
    filter.status = query.get("hostname_status");
    filter.ssl_status = query.get("ssl_status");
    filter.certificate_authority = query.get("certificate_authority");
    filter.custom_origin_server = query.get("custom_origin_server");
    filter.wildcard = query_bool(query, "wildcard");
    if (auto ssl = query.get("ssl")) {
        if (*ssl != "0" && *ssl != "1") throw ApiError(body_undecodable, "Invalid value for 'ssl': expected 0 or 1.");
        if (*ssl == "1") filter.has_ssl = true;  // 0, the default, means "no filter"
    }
    if (filter.id) {
        bool others = filter.hostname_exact || filter.hostname_contains || filter.hostname_starts_with || filter.status ||
                      filter.ssl_status || filter.certificate_authority || filter.custom_origin_server ||
                      filter.wildcard || filter.has_ssl;
        if (others) throw ApiError(id_with_filters);
    }
    auto order_text = query.get("order").value_or("ssl");
    if (order_text != "ssl" && order_text != "ssl_status")
        throw ApiError(body_undecodable, "Invalid value for 'order': expected ssl or ssl_status.");
    bool descending = read_descending(query, body_undecodable);
    // "ssl" order is creation order here: Cloudflare does not say what it sorts by.
    auto order = order_text == "ssl_status" ? storage::HostnameOrder::ssl_status : storage::HostnameOrder::created_at;

    auto page = context.hostnames.list(request.param("zone_id"), filter, paging.page, paging.per_page, order,
                                       descending);
    json items = json::array();
    // Filters and order see the stored statuses; each item shows its settled one.
    for (auto& h : page.items) {
        settle_and_store(context, h, KeyMiss::wait);
        items.push_back(custom_hostname_json(h, context.log));
    }
    return success_list(std::move(items), page_info(paging, page.items.size(), page.total_count));
}

}  // namespace

void add_custom_hostname_routes(Router& router) {
    const std::string base = "/zones/{zone_id}/custom_hostnames";
    // Each may settle a hostname into active and issue its DV pair: they wait for a pooled key.
    router.add("POST", base, waiting_for_rsa_key(create));
    router.add("GET", base, waiting_for_rsa_key(list));
    router.add("GET", base + "/{custom_hostname_id}", waiting_for_rsa_key(get));
    router.add("GET", base + "/quota", quota);  // the literal wins over {custom_hostname_id}
    router.add("PATCH", base + "/{custom_hostname_id}", waiting_for_rsa_key(edit));
    router.add("DELETE", base + "/{custom_hostname_id}", remove);
    add_manual_lifecycle_routes(router);
    add_pack_certificate_routes(router);
}

}  // namespace api
