#pragma once
#include <string_view>

namespace api {

// 8-4-4-4-12 hexadecimal digits: the shape of every id the emulator hands out.
bool is_uuid(std::string_view text) noexcept;

}  // namespace api
