#include "api/name_rules.hpp"

#include <arpa/inet.h>
#include <libpsl.h>

#include <array>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "api/text.hpp"

namespace api {
namespace {

constexpr std::size_t max_name_length = 255;  // "smaller than 256 characters"
constexpr std::size_t max_label_length = 63;
constexpr std::array<std::string_view, 4> reserved_tlds = {"test", "example", "invalid", "localhost"};
constexpr std::array<std::string_view, 3> example_domains = {"example.com", "example.net", "example.org"};

NameCheck problem(NameProblem p, std::string reason) { return NameCheck{p, std::move(reason)}; }

// libpsl's compiled-in list is immutable and shared; the library never writes to it, so one
// pointer serves every thread. The fallback (a libpsl built without one) is loaded once and
// kept for the life of the process.
const psl_ctx_t* suffix_list() {
    static const psl_ctx_t* const ctx = []() -> const psl_ctx_t* {
        if (const psl_ctx_t* builtin = psl_builtin()) return builtin;
        return psl_latest(nullptr);
    }();
    if (ctx == nullptr) throw std::runtime_error("no public suffix list is available to libpsl");
    return ctx;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_ip_address(const std::string& name) {
    unsigned char buffer[16];
    return inet_pton(AF_INET, name.c_str(), buffer) == 1 || inet_pton(AF_INET6, name.c_str(), buffer) == 1;
}

std::vector<std::string_view> split_labels(std::string_view name) {
    std::vector<std::string_view> labels;
    std::size_t start = 0;
    for (;;) {
        std::size_t dot = name.find('.', start);
        labels.push_back(name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
        if (dot == std::string_view::npos) return labels;
        start = dot + 1;
    }
}

std::string describe_character(char c) {
    if (c == ' ') return "a space";
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", byte);
        return std::string("the control character ") + hex;
    }
    return std::string("the special character '") + c + "'";
}

// Go's %q for the names that reach this point: they hold only letters, digits, '-', '.', '_'.
std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

// The "invalid" rules, on a name already known to be non-empty ASCII.
NameCheck check_syntax(const std::string& name, const NameRules& rules) {
    if (name.size() > max_name_length)
        return problem(NameProblem::invalid, "must be shorter than 256 characters");
    if (is_ip_address(name)) return problem(NameProblem::invalid, "cannot be an IP address");

    for (char c : name) {
        if (c == '*') continue;  // judged per label below
        auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f || special_characters.find(c) != std::string_view::npos)
            return problem(NameProblem::invalid, "cannot contain " + describe_character(c));
    }

    const auto labels = split_labels(name);
    bool all_numeric = true;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        std::string_view label = labels[i];
        if (label.empty()) return problem(NameProblem::invalid, "cannot contain an empty label");
        if (label.size() > max_label_length)
            return problem(NameProblem::invalid, "cannot contain a label longer than 63 characters");
        if (label.front() == '-' || label.back() == '-')
            return problem(NameProblem::invalid, "labels cannot begin or end with '-'");
        if (label.find('*') != std::string_view::npos) {
            if (!rules.allow_wildcard) return problem(NameProblem::invalid, "cannot be a wildcard");
            if (label != "*" || i != 0)
                return problem(NameProblem::invalid, "'*' is only allowed as the whole left-most label");
            if (labels.size() == 1) return problem(NameProblem::invalid, "'*' alone is not a name");
        }
        for (char c : label) all_numeric = all_numeric && is_digit(c);
    }
    // inet_pton only knows the dotted quad, but "127.1" or "1.2.3" still read as addresses to a
    // resolver or browser, and no real DNS name consists of numbers only.
    if (all_numeric) return problem(NameProblem::invalid, "cannot be an IP address");
    return {};
}

// What the public suffix list says of `domain` (lowercase, no wildcard label).
NameCheck check_public_suffix(const std::string& domain) {
    const psl_ctx_t* psl = suffix_list();
    if (psl_registrable_domain(psl, domain.c_str()) == nullptr)
        return problem(NameProblem::unparsable,
                       "publicsuffix: cannot derive eTLD+1 for domain " + in_quotes(domain));
    // libpsl applies the list's implicit "*" rule, so an unknown TLD still yields an eTLD+1;
    // Cloudflare refuses it, so ask about the TLD again without that rule.
    const std::string tld = domain.substr(domain.rfind('.') + 1);
    if (psl_is_public_suffix2(psl, tld.c_str(), PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) == 0)
        return problem(NameProblem::unparsable,
                       "publicsuffix: invalid public suffix " + in_quotes(tld) + " for domain " + in_quotes(domain));
    return {};
}

bool ends_with_label_suffix(std::string_view name, std::string_view domain) {
    if (name == domain) return true;
    return name.size() > domain.size() && name.ends_with(domain) && name[name.size() - domain.size() - 1] == '.';
}

}  // namespace

NameCheck check_dns_name(std::string_view raw, const NameRules& rules) {
    if (raw.empty()) return problem(NameProblem::invalid, "cannot be empty");
    for (char c : raw)
        if (static_cast<unsigned char>(c) >= 0x80)
            return problem(NameProblem::non_ascii, "non-ASCII characters are not supported; use punycode");

    const std::string name = lowercase(std::string(raw));
    if (NameCheck syntax = check_syntax(name, rules); syntax.problem != NameProblem::none) return syntax;

    // A wildcard is judged by the domain it covers: "*.co.uk" is as unusable as "co.uk".
    const std::string domain = name.starts_with("*.") ? name.substr(2) : name;

    const std::string_view tld = std::string_view(domain).substr(domain.rfind('.') + 1);
    for (std::string_view reserved : reserved_tlds)
        if (tld == reserved)
            return problem(NameProblem::reserved_tld, "the top-level domain ." + std::string(reserved) + " is reserved");

    if (NameCheck suffix = check_public_suffix(domain); suffix.problem != NameProblem::none) return suffix;

    for (std::string_view example : example_domains)
        if (ends_with_label_suffix(domain, example))
            return problem(NameProblem::example_domain, "names under " + std::string(example) + " are prohibited");
    return {};
}

void require_dns_name(std::string_view name, const NameErrors& errors, const NameRules& rules) {
    NameCheck check = check_dns_name(name, rules);
    switch (check.problem) {
        case NameProblem::none: return;
        case NameProblem::invalid: throw ApiError(errors.invalid);
        case NameProblem::non_ascii: throw ApiError(errors.non_ascii);
        case NameProblem::reserved_tld: throw ApiError(errors.reserved_tld);
        case NameProblem::unparsable: throw ApiError(errors.unparsable, fill(errors.unparsable.message, check.reason));
        case NameProblem::example_domain: throw ApiError(errors.example_domain);
    }
}

std::string registrable_domain(std::string_view name) {
    std::string domain = lowercase(std::string(name));
    if (domain.starts_with("*.")) domain.erase(0, 2);
    const char* registrable = psl_registrable_domain(suffix_list(), domain.c_str());
    return registrable ? std::string(registrable) : domain;
}

}  // namespace api
