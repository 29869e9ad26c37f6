#include "api/zones/zone_json.hpp"

namespace api {

void write_zone(JsonWriter& out, const storage::Zone& zone, const std::string& now) {
    const bool active = zone.activated_on <= now;
    // The emulator has no accounts of their own: the account (and owner) is named after its id.
    const std::string account_name = "Account " + zone.account_id;
    out.begin_object()
        .key("id").string(zone.id)
        .key("name").string(zone.name)
        .key("status").string(active ? "active" : "pending")
        .key("paused").boolean(false)
        .key("type").string(zone.type)
        .key("development_mode").number(0)
        .key("name_servers").strings({"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"})
        .key("original_name_servers").null()
        .key("original_registrar").null()
        .key("original_dnshost").null()
        .key("vanity_name_servers").strings({})
        .key("created_on").string(zone.created_on)
        .key("modified_on").string(zone.modified_on)
        .key("activated_on");
    if (active) out.string(zone.activated_on);
    else out.null();
    out.key("meta").begin_object()
        .key("step").number(active ? 4 : 2)
        .key("custom_certificate_quota").number(0)
        .key("page_rule_quota").number(3)
        .key("phishing_detected").boolean(false)
        .key("cdn_only").boolean(false)
        .key("dns_only").boolean(false)
        .key("foundation_dns").boolean(false)
        .end_object();
    out.key("owner").begin_object()
        .key("id").string(zone.account_id).key("type").string("organization").key("name").string(account_name)
        .end_object();
    out.key("account").begin_object().key("id").string(zone.account_id).key("name").string(account_name).end_object();
    out.key("permissions").strings({"#zone:read", "#zone:edit", "#ssl:read", "#ssl:edit"});
    out.key("plan").begin_object()
        .key("id").string("0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee")
        .key("name").string("Free Website")
        .key("price").number(0)
        .key("currency").string("USD")
        .key("frequency").string("")
        .key("is_subscribed").boolean(false)
        .key("can_subscribe").boolean(false)
        .key("legacy_id").string("free")
        .key("legacy_discount").boolean(false)
        .key("externally_managed").boolean(false)
        .end_object();
    out.key("tenant").begin_object().key("id").null().key("name").null().end_object();
    out.key("tenant_unit").begin_object().key("id").null().end_object();
    out.end_object();
}

}  // namespace api
