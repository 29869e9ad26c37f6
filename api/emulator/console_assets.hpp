#pragma once
// The web console's static files (api/emulator/console/), compiled into the binary by
// embed_assets.cmake: no file is read at run time and nothing is fetched from elsewhere.
#include <span>
#include <string_view>

namespace api::emulator {

struct ConsoleAsset {
    std::string_view path;          // "/_emulator/ui/" for index.html, "/_emulator/ui/console.js", …
    std::string_view content_type;  // with charset for text
    std::string_view body;
    std::string_view etag;          // quoted SHA-256 of the body
};

std::span<const ConsoleAsset> console_assets() noexcept;

}  // namespace api::emulator
