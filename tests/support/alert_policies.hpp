#pragma once
// A webhook destination and an enabled policy of `alert_type` sending to it, in the emulator's
// default account: what a test needs before the events it expects are fired.
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "support/api_client.hpp"

namespace test_support {

inline const std::string default_account = "023e105f4ecef8ad9ca31a8372d0c353";
inline const std::string default_alerting = "/client/v4/accounts/" + default_account + "/alerting/v3";

// Returns the policy's id. `secret` empty: none sent.
inline std::string subscribe_webhook(ApiClient& api, const std::string& url, const std::string& name,
                                     const std::string& alert_type, const std::string& secret = {}) {
    nlohmann::json destination = {{"name", name}, {"url", url}};
    if (!secret.empty()) destination["secret"] = secret;
    auto created = api.post(default_alerting + "/destinations/webhooks", destination);
    REQUIRE(created.status == 201);
    auto policy = api.post(default_alerting + "/policies",
                           {{"name", name},
                            {"alert_type", alert_type},
                            {"enabled", true},
                            {"mechanisms", {{"webhooks", {{{"id", created.json()["result"]["id"]}}}}}},
                            {"filters", nlohmann::json::object()}});
    REQUIRE(policy.status == 200);
    return policy.json()["result"]["id"];
}

}  // namespace test_support
