// dns mode for certificate packs, against a real dnsmasq and HTTP origin: a pack becomes active
// once every host's record, exactly as its answer shows it, is published (TXT, or the token at
// the HTTP URL); a pack missing one host's record stays pending_validation and times out on the
// scaled schedule, as a custom hostname does.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "support/api_client.hpp"
#include "support/dnsmasq.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"
#include "support/token_origin.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

const std::string dns_packs_zone = "7c3f6e1a2b4d4e5f8a9b0c1d2e3f4a5b";
const std::string dns_packs = "/client/v4/zones/" + dns_packs_zone + "/ssl/certificate_packs";

DnsRecords records_with(const std::vector<DnsRecords::Txt>& txts) {
    return {.cnames = {},
            .txts = txts,
            .addresses = {{"acme.io", "127.0.0.1"}, {"web.acme.io", "127.0.0.1"}},
            .not_authoritative = {}};
}

}  // namespace

TEST_CASE("dns mode: packs validated by the records their answers show; a missing host's record keeps one pending") {
    Dnsmasq dns(records_with({}));
    TokenOrigin origin(std::map<std::string, std::string>{});
    // 1e-5: a hostname's ~14.6 days of DCV checks take ~12.6 s, time enough for the other packs
    // to become active first on a loaded machine (at 6.3 s, one did not under ctest -j4).
    ServerProcess server({"--zone", "acme.io:" + dns_packs_zone, "--validation", "dns", "--dns-server", dns.address(),
                          "--validation-step", "50", "--validation-backoff-scale", "0.00001",
                          "--validation-http-port", std::to_string(origin.port())});
    ApiClient api(server);
    auto order = [&](std::vector<std::string> hosts, const std::string& method) {
        auto answer = api.post(dns_packs + "/order", {{"type", "advanced"}, {"hosts", hosts}, {"validation_method", method},
                                                  {"validity_days", 90}, {"certificate_authority", "lets_encrypt"}});
        REQUIRE(answer.status == 200);
        return answer.json()["result"]["id"].get<std::string>();
    };
    auto read = [&](const std::string& id) {
        auto got = api.get(dns_packs + "/" + id);
        REQUIRE(got.status == 200);
        return got.json()["result"];
    };
    // Polls as a client would; the caller checks the last read.
    auto poll = [&](const std::string& id, auto done) {
        json last;
        (void)eventually([&] { return done(last = read(id)); }, std::chrono::seconds(25));
        return last;
    };
    auto with_records = [](const json& p) { return !p.value("validation_records", json::array()).empty(); };

    std::string complete = order({"acme.io", "www.acme.io"}, "txt");
    std::string partial = order({"acme.io", "shop.acme.io"}, "txt");
    std::string by_http = order({"acme.io", "web.acme.io"}, "http");
    json complete_seen = poll(complete, with_records), partial_seen = poll(partial, with_records),
         http_seen = poll(by_http, with_records);
    for (const auto* seen : {&complete_seen, &partial_seen, &http_seen}) {
        CHECK((*seen)["status"] == "pending_validation");
        REQUIRE((*seen)["validation_records"].size() == 2);
    }

    // Published as shown: every TXT record of the first pack, only the first of the second, and
    // each HTTP record's body at its URL.
    std::vector<DnsRecords::Txt> txts;
    for (const auto& r : complete_seen["validation_records"]) txts.push_back({r["txt_name"], r["txt_value"]});
    txts.push_back({partial_seen["validation_records"][0]["txt_name"], partial_seen["validation_records"][0]["txt_value"]});
    CHECK(partial_seen["validation_records"][1]["txt_name"] == "_acme-challenge.shop.acme.io");
    dns.replace(records_with(txts));
    for (const auto& r : http_seen["validation_records"]) {
        std::string url = r["http_url"];
        std::string path = url.substr(url.find('/', std::string("http://").size()));
        origin.set(path, r["http_body"]);
    }

    for (const auto& id : {complete, by_http}) {
        json active = poll(id, [](const json& p) { return p["status"] == "active"; });
        CHECK(active["status"] == "active");
        CHECK(active["certificates"].size() == 2);
        CHECK_FALSE(active.contains("validation_records"));
    }
    // The missing record: pending until the checks run out, then timed out, with no error shown
    // for a plain miss (as a hostname's DCV).
    CHECK(read(partial)["status"] == "pending_validation");
    json timed_out = poll(partial, [](const json& p) { return p["status"] != "pending_validation"; });
    CHECK(timed_out["status"] == "validation_timed_out");
    CHECK_FALSE(timed_out.contains("validation_errors"));

    // The first pack's renewal (30 days before the end) is validated by its records, still published: a
    // new pair, active again.
    std::string first_serial = read(complete)["certificates"][0]["serial_number"];
    REQUIRE(api.post("/_emulator/clock", {{"advance", "61d"}}).status == 200);
    json renewed = poll(complete, [&](const json& p) {
        return p["status"] == "active" && p["certificates"][0]["serial_number"] != first_serial;
    });
    CHECK(renewed["status"] == "active");
    CHECK(renewed["certificates"][0]["serial_number"] != first_serial);
}
