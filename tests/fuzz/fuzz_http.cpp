// Raw HTTP bytes -> Beast's request parser (server::parse_request_bytes, the session's own
// conversion) -> api::Service::handle: routing, auth, every handler, storage. Pipelined requests
// in one input are served in order against the same state.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "server/request_bytes.hpp"
#include "service_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static fuzz::Harness harness;
    harness.reset();
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    for (int served = 0; served < 8 && !bytes.empty(); ++served) {
        std::size_t consumed = 0;
        // The server's defaults: 1 MiB bodies, 16 KiB of headers.
        auto request = server::parse_request_bytes(bytes, 1 << 20, 16 * 1024, &consumed);
        if (!request || consumed == 0) break;
        harness.handle(std::move(*request));
        bytes.remove_prefix(consumed);
    }
    return 0;
}
