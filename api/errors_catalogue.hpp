#pragma once
// Cloudflare's error codes, one table per surface: the codes of the CSR, custom hostname and
// custom certificate services overlap with different meanings (1403, 1420, ...), so each
// resource has its own namespace. Messages are Cloudflare's wording.
#include "api/errors.hpp"

namespace api::gateway_errors {
// Routing and authentication happen in Cloudflare's API gateway, before any service.
inline constexpr ErrorSpec missing_credentials{400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers"};
inline constexpr ErrorSpec invalid_headers{400, 6003, "Invalid request headers"};
inline constexpr ErrorSpec invalid_x_auth_email{400, 6102, "Invalid format for X-Auth-Email header"};
inline constexpr ErrorSpec invalid_x_auth_key{400, 6103, "Invalid format for X-Auth-Key header"};
inline constexpr ErrorSpec invalid_authorization{400, 6111, "Invalid format for Authorization header"};
inline constexpr ErrorSpec authentication_error{403, 10000, "Authentication error"};
inline constexpr ErrorSpec no_route{404, 7000, "No route for that URI"};
// The current gateway's answer to an unknown path (2026 reports): one error, code 10404.
inline constexpr ErrorSpec unknown_route{404, 10404, "No route for that URI"};
inline constexpr ErrorSpec could_not_route{404, 7003, "Could not route to %s, perhaps your object identifier is invalid?"};
// Cloudflare documents no code for these two; the emulator's choice is listed in README.
inline constexpr ErrorSpec method_not_allowed{405, 7001, "Method not allowed for this route"};
inline constexpr ErrorSpec body_too_large{413, 9413, "Request body too large"};
inline constexpr ErrorSpec malformed_http{400, 1400, "Unable to decode the HTTP request"};
inline constexpr ErrorSpec internal{500, 1500, "Internal Server Error"};
}  // namespace api::gateway_errors

namespace api::csr_errors {
inline constexpr ErrorSpec body_undecodable{400, 1400, "Unable to decode the JSON request body. Check your input and try again."};
inline constexpr ErrorSpec country_required{400, 1405, "Country field is required. Check your input and try again."};
inline constexpr ErrorSpec state_required{400, 1406, "State field is required. Check your input and try again."};
inline constexpr ErrorSpec locality_required{400, 1407, "Locality field is required. Check your input and try again."};
inline constexpr ErrorSpec organization_required{400, 1408, "Organization field is required. Check your input and try again."};
inline constexpr ErrorSpec common_name_required{400, 1409, "Common Name field is required. Check your input and try again."};
inline constexpr ErrorSpec common_name_too_long{400, 1410, "The specified Common Name is too long. Maximum allowed length is %d characters. Check your input and try again."};
inline constexpr ErrorSpec sans_required{400, 1411, "At least one subject alternative name (SAN) is required. Check your input and try again."};
inline constexpr ErrorSpec san_invalid{400, 1412, "Invalid subject alternative name(s) (SAN). SANs have to be smaller than 256 characters in length, cannot be IP addresses, cannot contain any special characters such as ~`!@#$%^&*()=+{}[]|\\;:'\",<>/? and cannot begin or end with a '-' character. Check your input and try again."};
inline constexpr ErrorSpec san_non_ascii{400, 1413, "SANs with non-ASCII characters are not supported. Check your input and try again."};
inline constexpr ErrorSpec san_reserved_tld{400, 1414, "Reserved top domain SAN (test, example, invalid, localhost) not supported. Check your input and try again."};
inline constexpr ErrorSpec san_unparsable{400, 1415, "Unable to parse subject alternative name(s) (SAN) - %s. Check your input and try again."};
inline constexpr ErrorSpec san_example_domain{400, 1416, "SANs ending in example.com, example.net, or example.org are prohibited. Check your input and try again."};
inline constexpr ErrorSpec key_type_invalid{400, 1417, "Invalid key type. Only 'rsa2048' or 'p256v1' is accepted. Check your input and try again."};
inline constexpr ErrorSpec id_invalid{400, 1418, "The custom CSR ID is invalid. Check your input and try again."};
inline constexpr ErrorSpec not_found{404, 1419, "The custom CSR was not found."};
inline constexpr ErrorSpec in_use{409, 1420, "The custom CSR is associated with an active certificate pack. You will need to delete all associated active certificate packs before you can delete the custom CSR."};
}  // namespace api::csr_errors

namespace api::hostname_errors {
inline constexpr ErrorSpec body_undecodable{400, 1400, "Unable to decode the JSON request body. Check your input and try again."};
inline constexpr ErrorSpec metadata_unencodable{400, 1401, "Unable to encode the custom metadata as JSON. Check your input and try again."};
inline constexpr ErrorSpec duplicate{409, 1406, "Duplicate custom hostname found."};
inline constexpr ErrorSpec quota_exceeded{403, 1405, "The quota for custom hostnames has been exceeded for this zone."};
inline constexpr ErrorSpec hostname_invalid{400, 1407, "Invalid custom hostname. Custom hostnames have to be smaller than 256 characters in length, cannot be IP addresses, cannot contain any special characters such as ~`!@#$%^&*()=+{}[]|\\;:'\",<>/? and cannot begin or end with a '-' character. Check your input and try again."};
inline constexpr ErrorSpec hostname_non_ascii{400, 1408, "Custom hostnames with non-ASCII characters are not supported. Check your input and try again."};
inline constexpr ErrorSpec hostname_reserved_tld{400, 1409, "Reserved top domain custom hostnames (test, example, invalid, localhost) not supported. Check your input and try again."};
inline constexpr ErrorSpec hostname_unparsable{400, 1410, "Unable to parse custom hostname - %s. Check your input and try again."};
inline constexpr ErrorSpec hostname_example_domain{400, 1411, "Custom hostnames ending in example.com, example.net, or example.org are prohibited. Check your input and try again."};
inline constexpr ErrorSpec metadata_on_wildcard{400, 1412, "Custom metadata is not supported on wildcard hostnames. Check your input and try again."};
inline constexpr ErrorSpec origin_invalid{400, 1415, "Invalid custom origin server. Custom origin servers have to be smaller than 256 characters in length, cannot be IP addresses, cannot contain any special characters and cannot begin or end with a '-' character. Check your input and try again."};
inline constexpr ErrorSpec origin_non_ascii{400, 1416, "Custom origin servers with non-ASCII characters are not supported. Check your input and try again."};
inline constexpr ErrorSpec origin_reserved_tld{400, 1417, "Reserved top domain custom origin servers (test, example, invalid, localhost) not supported. Check your input and try again."};
inline constexpr ErrorSpec origin_unparsable{400, 1418, "Unable to parse custom origin server - %s. Check your input and try again."};
inline constexpr ErrorSpec origin_example_domain{400, 1419, "Custom origin servers ending in example.com, example.net, or example.org are prohibited. Check your input and try again."};
inline constexpr ErrorSpec origin_wildcard{400, 1420, "Wildcard custom origin servers are not supported. Check your input and try again."};
inline constexpr ErrorSpec http2_invalid{400, 1422, "Invalid http2 setting. Only 'on' or 'off' is accepted. Check your input and try again."};
inline constexpr ErrorSpec tls_1_2_only_invalid{400, 1423, "Invalid tls_1_2_only setting. Only 'on' or 'off' is accepted. Check your input and try again."};
inline constexpr ErrorSpec tls_1_3_invalid{400, 1424, "Invalid tls_1_3 setting. Only 'on' or 'off' is accepted. Check your input and try again."};
inline constexpr ErrorSpec min_tls_version_invalid{400, 1425, "Invalid min_tls_version setting. Only '1.0', '1.1', '1.2' or '1.3' is accepted. Check your input and try again."};
inline constexpr ErrorSpec certificate_unparsable{400, 1426, "The uploaded SSL certificate cannot be parsed. Check your input and try again."};
inline constexpr ErrorSpec certificate_empty{400, 1427, "The uploaded SSL certificate is empty. Check your input and try again."};
inline constexpr ErrorSpec key_unparsable{400, 1428, "The uploaded private key cannot be parsed. Check your input and try again."};
inline constexpr ErrorSpec key_mismatch{400, 1429, "The private key does not match the uploaded certificate. Check your input and try again."};
inline constexpr ErrorSpec csr_id_invalid{400, 1430, "The custom CSR ID is invalid. Check your input and try again."};
inline constexpr ErrorSpec csr_not_found{404, 1431, "The custom CSR was not found."};
inline constexpr ErrorSpec method_unsupported{400, 1432, "Validation method is not supported. Only 'http', 'email' or 'txt' is accepted. Check your input and try again."};
inline constexpr ErrorSpec type_unsupported{400, 1433, "Validation type is not supported. Only 'dv' is accepted. Check your input and try again."};
inline constexpr ErrorSpec ssl_attribute_invalid{400, 1434, "The SSL attribute is invalid. Check your input and try again."};
inline constexpr ErrorSpec id_invalid{400, 1435, "The custom hostname ID is invalid. Check your input and try again."};
inline constexpr ErrorSpec not_found{404, 1436, "The custom hostname was not found."};
inline constexpr ErrorSpec contain_invalid{400, 1437, "Invalid hostname.contain query parameter. Check your input and try again."};
inline constexpr ErrorSpec id_with_filters{400, 1438, "The id filter cannot be combined with other filters. Check your input and try again."};
inline constexpr ErrorSpec modify_unsupported{409, 1439, "Modifying the custom hostname is not supported."};
inline constexpr ErrorSpec method_and_type_required{400, 1440, "Both the validation type and the validation method are required. Check your input and try again."};
inline constexpr ErrorSpec untrusted{400, 1441, "The certificate has trouble bundling against the public trust store. Check your input and try again."};
inline constexpr ErrorSpec ciphers_invalid{400, 1442, "Invalid ciphers setting. Check your input and try again."};
inline constexpr ErrorSpec ciphers_with_tls_1_3{400, 1443, "Ciphers cannot be set when min_tls_version is 1.3. Check your input and try again."};
inline constexpr ErrorSpec multiple_leaves{400, 1444, "The certificate chain has more than one leaf certificate. Check your input and try again."};
inline constexpr ErrorSpec no_leaf{400, 1445, "The certificate chain has no leaf certificate. Check your input and try again."};
inline constexpr ErrorSpec hostname_not_covered{400, 1446, "The certificate does not include the custom hostname %s. Check your input and try again."};
inline constexpr ErrorSpec signature_unsupported{400, 1447, "The certificate's signature algorithm is not supported. Only SHA-256/ECDSA, SHA-256/RSA and SHA-1/RSA are supported. Check your input and try again."};
inline constexpr ErrorSpec wildcard_managed{400, 1448, "Wildcards are not supported for Cloudflare-managed certificates. Check your input and try again."};
inline constexpr ErrorSpec bundle_method_invalid{400, 1449, "Invalid bundle_method. Only 'ubiquitous', 'optimal' or 'force' is accepted. Check your input and try again."};
// A custom hostname's certificate pack (ssl.id) and its certificates: the hostname service's
// not-found and invalid-attribute codes; 1451 and every status are the emulator's choice (README).
inline constexpr ErrorSpec pack_not_found{404, 1436, "The certificate pack was not found on this custom hostname."};
inline constexpr ErrorSpec pack_certificate_not_found{404, 1436, "The certificate was not found in this certificate pack."};
inline constexpr ErrorSpec certificate_managed{400, 1434, "The SSL attribute is invalid: a Cloudflare-managed certificate cannot be replaced or deleted. Upload a certificate with ssl.custom_certificate instead."};
inline constexpr ErrorSpec key_type_changed{400, 1434, "The SSL attribute is invalid: a certificate is replaced like for like, RSA by RSA and ECDSA by ECDSA."};
inline constexpr ErrorSpec last_certificate{409, 1451, "The last certificate of a certificate pack cannot be deleted. Replace it instead."};
}  // namespace api::hostname_errors

namespace api::certificate_errors {
// Cloudflare documents these codes without HTTP statuses; the emulator answers 400 for a
// refused upload and 404 for an unknown certificate (README, "Differences from Cloudflare").
inline constexpr ErrorSpec body_undecodable{400, 1400, "Unable to decode the JSON request body. Check your input and try again."};
inline constexpr ErrorSpec invalid{400, 1002, "Invalid certificate."};
inline constexpr ErrorSpec id_invalid{400, 1002, "Invalid custom certificate ID."};
inline constexpr ErrorSpec not_found{404, 1003, "Custom certificate not found."};
// --certificate-quota: 400 like every other refused upload (Cloudflare documents no status).
inline constexpr ErrorSpec quota_reached{400, 1212, "You have reached the maximum number of custom certificates."};
inline constexpr ErrorSpec already_submitted{400, 1220, "This certificate has already been submitted."};
inline constexpr ErrorSpec attribute_invalid{400, 1434, "The SSL attribute is invalid."};
inline constexpr ErrorSpec untrusted{400, 2100, "The certificate chain you uploaded cannot be bundled using Cloudflare's trust store."};
inline constexpr ErrorSpec no_leaf{400, 2101, "The certificate chain you uploaded has no leaf certificates."};
inline constexpr ErrorSpec key_invalid{400, 2106, "The private key you uploaded is invalid."};
inline constexpr ErrorSpec key_mismatch{400, 2200, "The certificate and private key pair you uploaded is invalid."};
// Seen on the wire (terraform-provider-cloudflare PR #523): 400 with this wording, verbatim.
inline constexpr ErrorSpec expires_soon{400, 1206, "The certificate will expire within soon. Please supply a newer one"};
}  // namespace api::certificate_errors

namespace api::zone_errors {
// 1061 is seen on the wire (400, "<name> already exists"); the others are the emulator's choice
// (README, "Differences from Cloudflare").
inline constexpr ErrorSpec body_undecodable{400, 1400, "Unable to decode the JSON request body. Check your input and try again."};
inline constexpr ErrorSpec name_invalid{400, 1099, "Invalid zone name '%s'."};
inline constexpr ErrorSpec account_invalid{400, 1098, "account.id must be a 32-hex-digit account identifier."};
inline constexpr ErrorSpec type_invalid{400, 1400, "Invalid zone type: only 'full', 'partial' or 'secondary' is accepted."};
inline constexpr ErrorSpec already_exists{400, 1061, "%s already exists"};
inline constexpr ErrorSpec not_found{404, 1001, "Invalid zone identifier"};
inline constexpr ErrorSpec filter_invalid{400, 1400, "Invalid list parameter."};
}  // namespace api::zone_errors

namespace api::origin_ca_errors {
// 1010, 1012 and 1016 are Cloudflare's wording (HTTP status undocumented: 400, 400, 403 chosen);
// 10000 comes with HTTP 400 on these routes. The other codes are the emulator's choice (README).
inline constexpr ErrorSpec hostname_outside_account{400, 1010, "Failed to validate requested hostname %s: This zone is either not part of your account, or you do not have access to it. Please contact support if using a multi-user organization."};
inline constexpr ErrorSpec hostnames_invalid{400, 1011, "Invalid hostnames: %s"};
inline constexpr ErrorSpec zone_id_required{400, 1012, "Please provide a zone id when requesting a stored certificate, or fetch by serial number"};
inline constexpr ErrorSpec csr_invalid{400, 1013, "Invalid CSR: %s"};
inline constexpr ErrorSpec csr_key_mismatch{400, 1014, "The CSR's key does not fit request_type %s"};
inline constexpr ErrorSpec request_invalid{400, 1015, "Invalid request: %s"};
inline constexpr ErrorSpec not_found{404, 1004, "Certificate not found"};
inline constexpr ErrorSpec body_undecodable{400, 1400, "Unable to decode the JSON request body. Check your input and try again."};
inline constexpr ErrorSpec service_key_refused{403, 1016, "User is not authorized to perform this action"};
inline constexpr ErrorSpec authentication_error{400, 10000, "Authentication error"};
}  // namespace api::origin_ca_errors

namespace api::alerting_errors {
// Cloudflare documents no codes for the alerting API: the emulator's choices (README).
inline constexpr ErrorSpec invalid_input{400, 17000, "Invalid request: %s"};
inline constexpr ErrorSpec webhook_test_failed{400, 17001, "Webhook test failed with status code %s"};
inline constexpr ErrorSpec webhook_not_found{404, 17002, "Webhook not found"};
inline constexpr ErrorSpec policy_not_found{404, 17003, "Policy not found"};
}  // namespace api::alerting_errors

namespace api::certificate_pack_errors {
// 1469 is Cloudflare's wording (custom hostname branding); the other codes and every HTTP status
// are the emulator's choice, as Cloudflare documents none (README, "Differences from Cloudflare").
inline constexpr ErrorSpec body_undecodable{400, 1400, "Unable to decode the JSON request body. Check your input and try again."};
inline constexpr ErrorSpec request_invalid{400, 1460, "Invalid request: %s"};
inline constexpr ErrorSpec apex_missing{400, 1461, "The hosts must contain the zone apex %s."};
inline constexpr ErrorSpec hosts_count{400, 1462, "The hosts may not be empty and may not contain more than 50 hosts."};
inline constexpr ErrorSpec host_outside_zone{400, 1463, "The host %s is not the zone apex nor a name under it."};
inline constexpr ErrorSpec quota_exceeded{400, 1464, "The quota of advanced certificate packs of this zone has been reached."};
inline constexpr ErrorSpec not_found{404, 1465, "Certificate pack not found."};
inline constexpr ErrorSpec restart_refused{400, 1466, "Validation can only be restarted for a certificate pack in validation_timed_out; this one is %s."};
inline constexpr ErrorSpec zone_not_found{404, 1001, "Invalid zone identifier"};
inline constexpr ErrorSpec branding_required{400, 1469, "Since no host is 64 characters or fewer, Cloudflare Branding is required. Please check your input and try again."};
}  // namespace api::certificate_pack_errors
