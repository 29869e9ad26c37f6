#pragma once
// Which custom hostname a name the edge sees (TLS server name, Host header) belongs to.
#include <memory>
#include <string>
#include <vector>

#include "storage/edge_repository.hpp"

namespace api::edge {

// "Shop.Customer.io.:8443" -> "shop.customer.io": lower-case, port and one trailing dot dropped.
std::string normalize_host(std::string_view host);

// Rows that cover `name` under RFC 6125 (the exact name, or the wildcard one label up), exact
// rows first. Any status: callers decide what a pending or blocked row may do. Not copied (their
// PEM texts and keys are kilobytes, asked for at every request and handshake): `rows` keeps the
// repository's remembered rows alive while `covering` points into them.
struct CoveringRows {
    std::shared_ptr<const std::vector<storage::EdgeHostname>> rows;
    std::vector<const storage::EdgeHostname*> covering;
};
CoveringRows hostnames_covering(storage::EdgeRepository& repository, const std::string& name);

// Serving traffic needs the hostname and its certificate both active (or a DV certificate
// renewing, its previous pair still served): Cloudflare serves nothing for pending, blocked or
// deleted hostnames, nor an expired certificate.
bool is_live(const storage::EdgeHostname& hostname);

// The first live row covering `name` (null when none), read in place like hostnames_covering.
struct LiveHostname {
    std::shared_ptr<const std::vector<storage::EdgeHostname>> rows;  // keeps *row alive
    const storage::EdgeHostname* row = nullptr;
    explicit operator bool() const { return row != nullptr; }
    const storage::EdgeHostname* operator->() const { return row; }
};
LiveHostname live_hostname(storage::EdgeRepository& repository, const std::string& name);

}  // namespace api::edge
