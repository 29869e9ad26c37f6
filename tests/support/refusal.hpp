#pragma once
// What a request reader refused a body with, for the rule-by-rule unit tests.
#include <functional>
#include <string>

#include "api/errors.hpp"

namespace test_support {

struct Refusal {
    int status = 0, code = 0;  // 0: accepted
    std::string message;
};

inline Refusal refusal_of(const std::function<void()>& read) {
    try {
        read();
    } catch (const api::ApiError& e) {
        return {e.status(), e.code(), e.errors().front().message};
    }
    return {};
}

}  // namespace test_support
