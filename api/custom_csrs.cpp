#include "api/service.hpp"

namespace api {

void add_custom_csr_routes(Router&) {}

}  // namespace api
