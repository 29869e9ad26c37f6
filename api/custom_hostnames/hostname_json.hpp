#pragma once
// What a custom hostname looks like in an answer: the stored row (storage/hostname_repository)
// as Cloudflare's custom hostname object, with its "ssl" object. Reads only; nothing here moves
// a status (hostname_state.hpp settles the row before it is shown).
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "api/log.hpp"
#include "storage/hostname_repository.hpp"

namespace api {

// Names a stored column of a hostname in a log line: "custom_hostnames/<id>/<column>".
inline std::string stored_column(const storage::CustomHostname& hostname, std::string_view column) {
    return "custom_hostnames/" + hostname.id + "/" + std::string(column);
}

// Stored JSON (settings, errors) is read through api/stored_json.hpp: a broken value is shown as
// its safe default and reported to `log`.
nlohmann::json hostname_ssl_json(const storage::CustomHostname& hostname, const LogSink& log);

// The facts of the certificate a hostname's ssl holds (issuer, serial_number, signature,
// expires_on, hosts, uploaded_on): the uploaded one, else the issued DV pair's primary (ECDSA)
// leaf. Nothing when it holds neither, or the pair does not parse.
void certificate_facts(nlohmann::json& out, const storage::HostnameSsl& ssl);

// The whole custom hostname as Cloudflare answers it.
nlohmann::json custom_hostname_json(const storage::CustomHostname& hostname, const LogSink& log);

}  // namespace api
