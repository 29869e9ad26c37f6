// How crypto/ fails: OpenSSL's error queue drained into one crypto::Error.
#include "crypto/detail/ossl.hpp"

namespace crypto::detail {

void throw_error(std::string_view what) {
    std::string text(what);
    bool first = true;
    while (unsigned long code = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(code, buf, sizeof buf);
        text += first ? ": " : "; ";
        text += buf;
        first = false;
    }
    throw Error(text);
}

}  // namespace crypto::detail
