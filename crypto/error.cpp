#include "crypto/detail/ossl.hpp"

#include <climits>

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

int refuse_password(char*, int, int, void*) noexcept { return -1; }

Bio read_bio(std::string_view bytes) {
    if (bytes.size() > static_cast<std::size_t>(INT_MAX)) throw Error("input too large");
    Bio bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
    check(bio != nullptr, "BIO_new_mem_buf");
    return bio;
}

Bio write_bio() {
    Bio bio(BIO_new(BIO_s_mem()));
    check(bio != nullptr, "BIO_new");
    return bio;
}

std::string bio_contents(BIO* bio) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

}  // namespace crypto::detail
