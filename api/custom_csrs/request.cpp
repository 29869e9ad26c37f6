#include "api/custom_csrs/request.hpp"

#include <cctype>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "api/errors_catalogue.hpp"
#include "api/json_body.hpp"
#include "api/name_rules.hpp"

namespace api {
namespace {

using namespace csr_errors;

// Required subject fields: missing, null and "" are all "required".
std::string required(const nlohmann::json& body, const char* key, const ErrorSpec& missing) {
    auto value = string_field(body, key, body_undecodable);
    if (!value || value->empty()) throw ApiError(missing);
    return *value;
}

// A C0 control character or DEL in a subject field would be written into the CSR as is (a NUL
// even cuts the name short for most tools); Cloudflare documents no code for it, so the field's
// own code says which field is wrong.
void check_printable(const std::string& value, const ErrorSpec& spec, const char* field) {
    for (char c : value) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", byte);
            throw ApiError(spec, std::string(field) + " field cannot contain control characters (found " + hex +
                                     "). Check your input and try again.");
        }
    }
}

// X.520 upper bounds OpenSSL enforces when it builds the subject; past them a CSR cannot be
// made, so the request is refused with the field's own code rather than failing later.
void check_length(const std::string& value, std::size_t max, const ErrorSpec& spec, const char* field) {
    if (value.size() > max)
        throw ApiError(spec, std::string(field) + " field is too long. Maximum allowed length is " + std::to_string(max) +
                                 " characters. Check your input and try again.");
}

void check_san(const std::string& san) {
    require_dns_name(san, {san_invalid, san_non_ascii, san_reserved_tld, san_unparsable, san_example_domain});
}

}  // namespace

const char* key_type_name(crypto::KeyType type) { return type == crypto::KeyType::p256v1 ? "p256v1" : "rsa2048"; }

CustomCsrRequest read_custom_csr_request(const nlohmann::json& body) {
    CustomCsrRequest request;
    // Types first: a field of the wrong type makes the body undecodable (1400), whichever it is.
    for (const char* key : {"country", "state", "locality", "organization", "organizational_unit", "common_name",
                            "key_type", "name", "description"})
        string_field(body, key, body_undecodable);
    auto sans = string_array_field(body, "sans", body_undecodable);

    auto& subject = request.subject;
    subject.country = required(body, "country", country_required);
    subject.state = required(body, "state", state_required);
    subject.locality = required(body, "locality", locality_required);
    subject.organization = required(body, "organization", organization_required);
    subject.common_name = required(body, "common_name", common_name_required);
    subject.organizational_unit = string_field(body, "organizational_unit", body_undecodable);
    if (subject.organizational_unit && subject.organizational_unit->empty()) subject.organizational_unit.reset();

    // Cloudflare documents no code for a malformed country; an X.509 countryName is exactly two
    // letters (ISO 3166-1 alpha-2), so anything else gets the country field's code.
    if (subject.country.size() != 2 || !std::isalpha(static_cast<unsigned char>(subject.country[0])) ||
        !std::isalpha(static_cast<unsigned char>(subject.country[1])))
        throw ApiError(country_required,
                       "Country field must be a two-letter ISO 3166-1 alpha-2 code. Check your input and try again.");
    check_printable(subject.state, state_required, "State");
    check_printable(subject.locality, locality_required, "Locality");
    check_printable(subject.organization, organization_required, "Organization");
    if (subject.organizational_unit)
        check_printable(*subject.organizational_unit, body_undecodable, "Organizational Unit");
    check_printable(subject.common_name, common_name_required, "Common Name");
    check_length(subject.state, 128, state_required, "State");
    check_length(subject.locality, 128, locality_required, "Locality");
    check_length(subject.organization, 64, organization_required, "Organization");
    if (subject.organizational_unit) check_length(*subject.organizational_unit, 64, body_undecodable, "Organizational Unit");
    if (subject.common_name.size() > max_common_name)
        throw ApiError(common_name_too_long, fill(common_name_too_long.message, std::to_string(max_common_name)));

    if (!sans || sans->empty()) throw ApiError(sans_required);
    if (sans->size() > max_sans)
        throw ApiError(san_invalid, "Too many subject alternative names (SAN): at most " + std::to_string(max_sans) +
                                        " are allowed. Check your input and try again.");
    for (const auto& san : *sans) check_san(san);
    request.sans = std::move(*sans);

    auto key_type = string_field(body, "key_type", body_undecodable);
    if (key_type) {
        if (*key_type == "rsa2048") request.key_type = crypto::KeyType::rsa2048;
        else if (*key_type == "p256v1") request.key_type = crypto::KeyType::p256v1;
        else throw ApiError(key_type_invalid);
    }
    request.name = string_field(body, "name", body_undecodable);
    request.description = string_field(body, "description", body_undecodable);
    return request;
}

}  // namespace api
