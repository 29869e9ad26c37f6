#include "api/custom_csrs/json.hpp"

namespace api {

void write_custom_csr(JsonWriter& out, const storage::CustomCsr& csr) {
    out.begin_object();
    if (csr.scope == storage::Scope::account) out.key("account_tag").string(csr.scope_id);
    out.key("common_name").string(csr.common_name)
        .key("country").string(csr.country)
        .key("created_at").string(csr.created_at)
        .key("csr").string(csr.csr_pem);
    if (csr.description) out.key("description").string(*csr.description);
    out.key("id").string(csr.id)
        .key("key_type").string(csr.key_type)
        .key("locality").string(csr.locality);
    if (csr.name) out.key("name").string(*csr.name);
    out.key("organization").string(csr.organization);
    if (csr.organizational_unit) out.key("organizational_unit").string(*csr.organizational_unit);
    out.key("sans").strings(csr.sans)
        .key("state").string(csr.state)
        .end_object();
}

void write_shown_csr(JsonWriter& out, const storage::ShownCsr& csr) {
    if (csr.fields) write_custom_csr(out, *csr.fields);
    else out.raw(csr.json);
}

}  // namespace api
