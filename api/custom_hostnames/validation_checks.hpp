#pragma once
// One dns-mode round of checks for a hostname: the lookups and fetches lifecycle::apply_checks
// needs, started together through the probe interfaces, gathered into one ProbeResults.
#include <functional>
#include <string>

#include "api/custom_hostnames/lifecycle.hpp"
#include "api/custom_hostnames/probes.hpp"

namespace api {

struct CheckTargets {
    std::string hostname;     // e.g. "app.customer.io"
    std::string hostname_id;  // the custom hostname's id: the ownership URL's last segment
    std::string dcv_token;    // the ACME challenge's URL segment (the body must equal it too)
    std::string cname_target = {};  // where the CNAME walk ends (the zone's fallback origin or --cname-target)
    bool ownership = true;    // ownership is pending: look for its TXT record and HTTP token
    bool validation = true;   // DCV is pending: look for the ACME TXT record and HTTP token
    // Only what the customer was shown is looked at: a "*." hostname proves ownership by its TXT
    // record (no CNAME walk, no HTTP fetch: no URL reaches "*."); a wildcard certificate is
    // validated by its TXT records only.
    bool ownership_by_txt_only = false;
    bool dcv_by_txt_only = false;
};

// The names and URLs Cloudflare (and its CA) look at (Cloudflare's documentation).
std::string ownership_txt_name(const std::string& hostname);  // "_cf-custom-hostname.<host>"
std::string ownership_http_url(const std::string& hostname, const std::string& id);
std::string dcv_txt_name(const std::string& hostname);  // "_acme-challenge.<host>"
std::string dcv_http_url(const std::string& hostname, const std::string& token);
// The URL ssl.validation_records[].http_url shows (DigiCert-era form); checked too, so a
// customer following the record passes.
std::string dcv_shown_http_url(const std::string& hostname, const std::string& token);

// Starts the probes (the CNAME chain, which proves both, unless ownership is by TXT only; DCV over HTTP at both URLs
// unless by TXT only) and calls `done` once (at once when nothing is to be looked at), on the
// thread of the probe that answered last. A lookup that answered "no such records" becomes an
// empty list; one that failed or timed out stays unset, and what the DNS server answered is
// added to ProbeResults' lookup failures (apply_checks shows them instead of blaming the
// customer's records). A CNAME chain that reached the target counts even if a later hop failed.
void run_checks(DnsProbe& dns, HttpProbe& http, const CheckTargets& targets,
                std::function<void(lifecycle::ProbeResults)> done);

}  // namespace api
