// /zones/{zone_id}/custom_csrs and /accounts/{account_id}/custom_csrs: create, list, get, delete.
#include <nlohmann/json.hpp>

#include "api/custom_csrs/json.hpp"
#include "api/custom_csrs/request.hpp"
#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/identifiers.hpp"
#include "api/json_body.hpp"
#include "api/paging.hpp"
#include "api/guarded.hpp"
#include "api/routes.hpp"
#include "crypto/csr.hpp"
#include "crypto/keys.hpp"

namespace api {
namespace {

using storage::Scope;
using namespace csr_errors;

struct Owner {
    Scope scope;
    std::string id;
};

Owner zone_owner(const Request& request) { return {Scope::zone, request.param("zone_id")}; }
Owner account_owner(const Request& request) { return {Scope::account, request.param("account_id")}; }

const std::string& csr_id(const Request& request) {
    const std::string& id = request.param("custom_csr_id");
    if (!is_uuid(id)) throw ApiError(id_invalid);
    return id;
}

Response one_csr(const storage::ShownCsr& csr, int status = 200) {
    SuccessBody body(csr.fields ? csr.fields->csr_pem.size() + 512 : csr.json.size());
    JsonWriter out(body.out());
    write_shown_csr(out, csr);
    return body.finish(status);
}

// Stores the key and its CSR; runs wherever the key became available.
Response finish_create(Context& context, const Owner& owner, const CustomCsrRequest& input,
                       const std::string& private_key_pem, std::string csr_pem) {
    storage::CustomCsr csr;
    csr.id = context.new_id();
    csr.scope = owner.scope;
    csr.scope_id = owner.id;
    csr.created_at = rfc3339_micros(context.now());
    csr.key_type = key_type_name(input.key_type);
    csr.country = input.subject.country;
    csr.state = input.subject.state;
    csr.locality = input.subject.locality;
    csr.organization = input.subject.organization;
    csr.organizational_unit = input.subject.organizational_unit;
    csr.common_name = input.subject.common_name;
    csr.sans = input.sans;
    csr.name = input.name;
    csr.description = input.description;
    csr.csr_pem = std::move(csr_pem);
    storage::ShownCsr shown;
    JsonWriter out(shown.json);
    write_custom_csr(out, csr);
    context.csrs.insert(csr, private_key_pem, shown.json);
    return one_csr(shown, 201);
}

void create(const Request& request, Context& context, Completion done, Owner owner) {
    auto input = read_custom_csr_request(parse_object_body(request, body_undecodable));
    if (input.key_type == crypto::KeyType::p256v1) {
        // P-256 keys take well under a millisecond: no need to leave this thread.
        auto made = crypto::create_key_and_csr(crypto::KeyType::p256v1, input.subject, input.sans);
        done(finish_create(context, owner, input, made.private_key_pem, std::move(made.csr_pem)));
        return;
    }
    // RSA-2048: a ready key now, or the next one a key worker makes; the response completes
    // on that worker's thread.
    context.keys.acquire_rsa2048([&context, done, owner, input = std::move(input), label = RequestLabel::of(request)](
                                     std::string key, std::exception_ptr error) {
        done(guarded(context, label, [&]() -> Response {
            if (error) std::rethrow_exception(error);
            return finish_create(context, owner, input, key, crypto::create_csr(input.subject, input.sans, key));
        }));
    });
}

Response list(const Request& request, Context& context, const Owner& owner) {
    Query query(request.query);
    // Zone lists default to 20 per page, account lists to 50 (Cloudflare's documentation).
    Paging paging = read_paging(query, owner.scope == Scope::zone ? 20 : 50, body_undecodable);
    storage::CsrOrder order = storage::CsrOrder::created_at;
    bool descending = false;
    if (owner.scope == Scope::account) {
        auto by = query.get("order").value_or("created_at");
        // Every CSR of an account has the same account_tag, so that order is creation order.
        if (by == "name") order = storage::CsrOrder::name;
        else if (by != "created_at" && by != "account_tag")
            throw ApiError(body_undecodable, "Invalid value for 'order': expected name, account_tag or created_at.");
        descending = read_descending(query, body_undecodable);
    }
    auto page = context.csrs.list(owner.scope, owner.id, paging.page, paging.per_page, order, descending);
    std::size_t size = 0;
    for (const auto& csr : page.items) size += csr.fields ? csr.fields->csr_pem.size() + 512 : csr.json.size() + 1;
    SuccessBody body(size);
    JsonWriter out(body.out());
    out.begin_array();
    for (const auto& csr : page.items) write_shown_csr(out, csr);
    out.end_array();
    return body.finish_list(page_info(paging, page.items.size(), page.total_count));
}

Response get(const Request& request, Context& context, const Owner& owner) {
    auto csr = context.csrs.find_shown(owner.scope, owner.id, csr_id(request));
    if (!csr) throw ApiError(not_found);
    return one_csr(*csr);
}

Response remove(const Request& request, Context& context, const Owner& owner) {
    const std::string& id = csr_id(request);
    switch (context.csrs.remove(owner.scope, owner.id, id)) {
        case storage::RemoveResult::removed: return success({{"id", id}});
        case storage::RemoveResult::not_found: throw ApiError(not_found);
        case storage::RemoveResult::in_use: throw ApiError(in_use);
    }
    throw ApiError(gateway_errors::internal);
}

template <auto Owner_of>
void add_routes(Router& router, const std::string& base) {
    router.add("POST", base, [](const Request& r, Context& c, Completion done) {
        create(r, c, std::move(done), Owner_of(r));
    });
    router.add("GET", base, [](const Request& r, Context& c) { return list(r, c, Owner_of(r)); });
    router.add("GET", base + "/{custom_csr_id}", [](const Request& r, Context& c) { return get(r, c, Owner_of(r)); });
    router.add("DELETE", base + "/{custom_csr_id}", [](const Request& r, Context& c) { return remove(r, c, Owner_of(r)); });
}

}  // namespace

void add_custom_csr_routes(Router& router) {
    add_routes<zone_owner>(router, "/zones/{zone_id}/custom_csrs");
    add_routes<account_owner>(router, "/accounts/{account_id}/custom_csrs");
}

}  // namespace api
