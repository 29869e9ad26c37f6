#pragma once
// How Cloudflare's SaaS service judges a DNS name. Shared by CSR SANs, custom hostnames and
// custom origin servers; each caller maps the problem to its own error code.
#include <string>
#include <string_view>

#include "api/errors.hpp"

namespace api {

// The characters Cloudflare's documentation lists as never allowed in a name.
inline constexpr std::string_view special_characters = "~`!@#$%^&*()=+{}[]|\\;:'\",<>/?";

enum class NameProblem {
    none,
    invalid,         // length, IP address, special character, bad label, misplaced wildcard
    non_ascii,       // a byte >= 0x80 (Unicode names must be sent as punycode)
    reserved_tld,    // top-level label test, example, invalid or localhost
    unparsable,      // no eTLD+1: the name is a public suffix, or its TLD is not in the list
    example_domain   // example.com / .net / .org or a subdomain of one
};

struct NameCheck {
    NameProblem problem = NameProblem::none;
    // Go-publicsuffix text for unparsable (callers put it in the message); a short human
    // reason for the other problems; empty for none.
    std::string reason;
};

struct NameRules {
    bool allow_wildcard = true;  // "*" as the whole left-most label
};

// Returns the first problem found, in this order:
//   invalid if empty, non_ascii, invalid, reserved_tld, unparsable, example_domain.
// non_ascii comes before the other invalid checks because they would judge the Unicode form,
// while what Cloudflare would see is the punycode form the client has to send instead.
// Case-insensitive. Pure and thread-safe.
NameCheck check_dns_name(std::string_view name, const NameRules& rules = {});

// Each resource's codes for the name problems (CSR SANs, hostnames, origin servers).
struct NameErrors {
    const ErrorSpec& invalid;
    const ErrorSpec& non_ascii;
    const ErrorSpec& reserved_tld;
    const ErrorSpec& unparsable;  // its message has a "%s" for the reason
    const ErrorSpec& example_domain;
};

// The name's registrable domain (eTLD+1 by the public suffix list libpsl carries), e.g.
// "acme.co.uk" for "*.shop.acme.co.uk"; the name itself (without "*.") when it has none.
std::string registrable_domain(std::string_view name);

// check_dns_name, throwing the resource's ApiError for the problem found.
void require_dns_name(std::string_view name, const NameErrors& errors, const NameRules& rules = {});

}  // namespace api
