// Memory BIOs and the PEM password callback: how PEM text goes into OpenSSL and comes back out.
#include <climits>

#include "crypto/detail/ossl.hpp"

namespace crypto::detail {

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
