// The one rule that turns a certificate's status move into Cloudflare's SaaS events, without a
// database or a socket: each documented move fires its event, a jump fires each step's, and
// nothing else fires anything.
#include <doctest/doctest.h>

#include "api/notifications/certificate_events.hpp"
#include "api/notifications/delivery.hpp"

using api::notifications::CertificateView;
using api::notifications::certificate_events;
using Events = std::vector<std::string>;

namespace {
CertificateView at(std::string status, std::int64_t attempts = 0, std::string pair = "") {
    return CertificateView{std::move(status), attempts, false, std::move(pair), "ssl-1"};
}
}  // namespace

TEST_CASE("status moves fire Cloudflare's events") {
    SUBCASE("validation.succeeded: pending_validation -> pending_issuance") {
        CHECK(certificate_events(at("pending_validation"), at("pending_issuance")) == Events{"validation.succeeded"});
    }
    SUBCASE("issuance.succeeded: pending_issuance -> pending_deployment") {
        CHECK(certificate_events(at("pending_issuance"), at("pending_deployment")) == Events{"issuance.succeeded"});
    }
    SUBCASE("deployment.succeeded: pending_deployment -> active") {
        CHECK(certificate_events(at("pending_deployment"), at("active", 0, "pair")) == Events{"deployment.succeeded"});
    }
    SUBCASE("a new hostname settled at once fires every step from initializing") {
        CHECK(certificate_events(std::nullopt, at("active", 0, "pair")) ==
              Events{"validation.succeeded", "issuance.succeeded", "deployment.succeeded"});
        CHECK(certificate_events(std::nullopt, at("initializing")).empty());
        CHECK(certificate_events(at("initializing"), at("pending_validation")).empty());
    }
    SUBCASE("validation.failed: at each DCV retry while still pending_validation, and when it times out") {
        CHECK(certificate_events(at("pending_validation", 1), at("pending_validation", 2)) == Events{"validation.failed"});
        CHECK(certificate_events(at("pending_validation", 2), at("pending_validation", 2)).empty());
        CHECK(certificate_events(at("pending_validation"), at("validation_timed_out")) == Events{"validation.failed"});
    }
    SUBCASE("issuance.failed and deployment.failed when those time out") {
        CHECK(certificate_events(at("pending_issuance"), at("issuance_timed_out")) == Events{"issuance.failed"});
        CHECK(certificate_events(at("pending_deployment"), at("deployment_timed_out")) == Events{"deployment.failed"});
    }
    SUBCASE("renewal: active -> pending_deployment succeeded, active -> pending_issuance failed, each announced") {
        CHECK(certificate_events(at("active", 0, "a"), at("pending_deployment", 0, "a")) ==
              Events{"renewal.upcoming_certificate_expiration_notification", "renewal.succeeded"});
        CHECK(certificate_events(at("active", 0, "a"), at("pending_issuance", 0, "a")) ==
              Events{"renewal.upcoming_certificate_expiration_notification", "renewal.failed"});
        CHECK(certificate_events(at("pending_deployment", 0, "a"), at("pending_issuance", 0, "a")) ==
              Events{"renewal.failed"});
        // A whole renewal between two writes: a new pair while active.
        CHECK(certificate_events(at("active", 0, "a"), at("active", 0, "b")) ==
              Events{"renewal.upcoming_certificate_expiration_notification", "renewal.succeeded",
                     "deployment.succeeded"});
        CHECK(certificate_events(at("active", 0, ""), at("active", 0, "b")).empty());  // a first pair, late
    }
    SUBCASE("a certificate a PATCH put in place of another starts anew: no renewal") {
        CertificateView uploaded{"pending_deployment", 0, true, "", "ssl-2"};
        CHECK(certificate_events(at("active", 0, "a"), uploaded).empty());
        uploaded.status = "active";
        CHECK(certificate_events(at("active", 0, "a"), uploaded) == Events{"deployment.succeeded"});
    }
    SUBCASE("deletion.succeeded when the certificate goes") {
        CHECK(certificate_events(at("active"), std::nullopt) == Events{"deletion.succeeded"});
        CHECK(certificate_events(std::nullopt, std::nullopt).empty());
    }
    SUBCASE("a reissue back to initializing fires nothing until it moves forward again") {
        CHECK(certificate_events(at("active", 0, "a"), at("initializing")).empty());
        CHECK(certificate_events(at("validation_timed_out"), at("initializing")).empty());
    }
}

TEST_CASE("retries wait longer after each failure, up to the ceiling") {
    api::notifications::Settings settings;
    settings.first_retry = std::chrono::milliseconds(100);
    settings.max_retry_delay = std::chrono::milliseconds(500);
    CHECK(api::notifications::retry_delay(settings, 1).count() == 100);
    CHECK(api::notifications::retry_delay(settings, 2).count() == 200);
    CHECK(api::notifications::retry_delay(settings, 3).count() == 400);
    CHECK(api::notifications::retry_delay(settings, 4).count() == 500);
    CHECK(api::notifications::retry_delay(settings, 60).count() == 500);
}
