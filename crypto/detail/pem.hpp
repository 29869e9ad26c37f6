#pragma once
// Private to crypto/: one way to read a PEM object in and write one out, whatever its type, so
// each type's reader and writer is a single call with its own failure text.
#include <string>
#include <string_view>

#include "crypto/detail/ossl.hpp"

namespace crypto::detail {

// The first object `read` (a PEM_read_bio_* function) finds in the text, owned by `Owner`;
// throws crypto::Error `what` when none parses. Encrypted PEM is refused, never prompted for.
template <class Owner, class Read>
Owner read_pem(std::string_view pem, Read read, std::string_view what) {
    clear_errors();
    auto bio = read_bio(pem);
    Owner object(read(bio.get(), nullptr, refuse_password, nullptr));
    check(object != nullptr, what);
    return object;
}

// The PEM text `write(BIO*)` (returning 1 on success) produces; throws crypto::Error `what`.
template <class Write>
std::string write_pem(Write write, std::string_view what) {
    clear_errors();
    auto bio = write_bio();
    check(write(bio.get()) == 1, what);
    return bio_contents(bio.get());
}

}  // namespace crypto::detail
