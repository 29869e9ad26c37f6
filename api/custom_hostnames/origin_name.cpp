#include "api/custom_hostnames/origin_name.hpp"

#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/name_rules.hpp"
#include "api/text.hpp"

namespace api {

std::string checked_origin_name(const std::string& origin) {
    using namespace hostname_errors;
    if (origin.find('*') != std::string::npos) throw ApiError(origin_wildcard);
    NameCheck check = check_dns_name(origin, NameRules{.allow_wildcard = false});
    switch (check.problem) {
        case NameProblem::none: break;
        case NameProblem::invalid: throw ApiError(origin_invalid);
        case NameProblem::non_ascii: throw ApiError(origin_non_ascii);
        case NameProblem::reserved_tld: throw ApiError(origin_reserved_tld);
        case NameProblem::unparsable: throw ApiError(origin_unparsable, fill(origin_unparsable.message, check.reason));
        case NameProblem::example_domain: throw ApiError(origin_example_domain);
    }
    return lowercase(origin);
}

}  // namespace api
