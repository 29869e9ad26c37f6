#include "crypto/detail/names.hpp"

namespace crypto::detail {

void add_name_entry(X509_NAME* name, int nid, const std::string& value) {
    if (value.size() > 1024) throw Error(std::string("subject ") + OBJ_nid2sn(nid) + " too long");
    clear_errors();
    int ok = X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8,
                                        reinterpret_cast<const unsigned char*>(value.data()),
                                        static_cast<int>(value.size()), -1, 0);
    check(ok == 1, std::string("subject ") + OBJ_nid2sn(nid) + " not accepted");
}

std::optional<std::string> name_entry(const X509_NAME* name, int nid, bool last) {
    int index = -1;
    for (int at = X509_NAME_get_index_by_NID(name, nid, -1); at >= 0;
         at = X509_NAME_get_index_by_NID(name, nid, at)) {
        index = at;
        if (!last) break;
    }
    if (index < 0) return std::nullopt;
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char* utf8 = nullptr;
    clear_errors();
    int len = ASN1_STRING_to_UTF8(&utf8, data);
    check(len >= 0, std::string("cannot decode subject ") + OBJ_nid2sn(nid));
    OsslString owner(reinterpret_cast<char*>(utf8));
    return std::string(owner.get(), static_cast<std::size_t>(len));
}

X509Extension dns_san_extension(const std::vector<std::string>& dns_names) {
    clear_errors();
    GeneralNames names(GENERAL_NAMES_new());
    check(names != nullptr, "GENERAL_NAMES_new");
    for (const auto& dns : dns_names) {
        // dNSName is an IA5String: OpenSSL would store any bytes, producing a SAN no one can match.
        if (dns.empty()) throw Error("empty DNS name");
        for (unsigned char c : dns)
            if (c < 0x21 || c > 0x7e) throw Error("DNS name \"" + dns + "\" has characters outside printable ASCII");
        Asn1String ia5(ASN1_IA5STRING_new());
        check(ia5 != nullptr && ASN1_STRING_set(ia5.get(), dns.data(), static_cast<int>(dns.size())) == 1,
              "ASN1_STRING_set");
        GeneralName entry(GENERAL_NAME_new());
        check(entry != nullptr, "GENERAL_NAME_new");
        GENERAL_NAME_set0_value(entry.get(), GEN_DNS, ia5.release());
        check(sk_GENERAL_NAME_push(names.get(), entry.get()) > 0, "sk_GENERAL_NAME_push");
        entry.release();
    }
    X509Extension ext(X509V3_EXT_i2d(NID_subject_alt_name, 0, names.get()));
    check(ext != nullptr, "cannot encode subjectAltName");
    return ext;
}

std::vector<std::string> dns_names(const GENERAL_NAMES* names) {
    std::vector<std::string> out;
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME* entry = sk_GENERAL_NAME_value(names, i);
        int type = 0;
        const auto* value = static_cast<const ASN1_STRING*>(GENERAL_NAME_get0_value(entry, &type));
        if (type != GEN_DNS || value == nullptr) continue;
        out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                         static_cast<std::size_t>(ASN1_STRING_length(value)));
    }
    return out;
}

}  // namespace crypto::detail
