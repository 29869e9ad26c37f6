#pragma once
// The one exception type crypto/ throws: an operation that failed, with OpenSSL's own text.
#include <stdexcept>
#include <string>

namespace crypto {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace crypto
