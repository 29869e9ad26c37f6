#pragma once
// What Cloudflare tells a customer to publish for a custom hostname's certificate (the
// ssl.validation_records) and, being the same thing, what dns mode checks: one place, so the
// emulator never checks a name it did not show. A wildcard's records live at its base name
// ("*.shop.io" -> "_acme-challenge.shop.io"): no record a customer publishes contains "*".
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "storage/hostname_repository.hpp"

namespace api {

// The hostname without a leading "*.".
std::string record_base_name(const std::string& hostname);
bool is_wildcard_hostname(const std::string& hostname);

// A new DCV token from a fresh id: "ca3-" and 32 hex digits, the form of Cloudflare's
// documented http_body (its http_url ends in "<token>.txt").
std::string dcv_token_from_id(const std::string& id);

// The names the certificate covers: the hostname, and with ssl.wildcard its "*." name too.
std::vector<std::string> certificate_names(const std::string& hostname, bool wildcard);

// One TXT value per certificate name, at "_acme-challenge.<base name>": 43 characters of
// base64url, as an ACME DNS-01 value and Cloudflare's examples are, derived from the token.
std::vector<std::string> dcv_txt_values(const std::string& token, const std::string& hostname, bool wildcard);

// Whether DCV may use HTTP: a wildcard (hostname or ssl.wildcard) is validated by TXT only.
bool txt_only(const std::string& hostname, bool wildcard);

// The addresses email DCV writes to: admin@, administrator@, hostmaster@, postmaster@ and
// webmaster@ of the registrable domain (Cloudflare's and the CA/B Forum's constructed
// addresses), e.g. "admin@acme.co.uk" for "shop.acme.co.uk".
std::vector<std::string> dcv_emails(const std::string& hostname);

// The ssl.validation_records of a Cloudflare-managed certificate with a token (an array).
nlohmann::json validation_records_json(const std::string& hostname, const storage::HostnameSsl& ssl);

}  // namespace api
