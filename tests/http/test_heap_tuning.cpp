// glibc's allocator as the server sets it at start (server/heap_tuning.hpp): memory freed at the
// top of a heap stays with the process up to a few MiB, instead of going back to the kernel (and
// being faulted in again) whenever 128 KiB are free there. Not under AddressSanitizer, whose own
// allocator replaces glibc's.
#include <doctest/doctest.h>

#include <malloc.h>

#include <cstdlib>
#include <vector>

#include "server/heap_tuning.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define CSR_EMULATOR_GLIBC_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CSR_EMULATOR_GLIBC_MALLOC 0
#endif
#endif
#ifndef CSR_EMULATOR_GLIBC_MALLOC
#define CSR_EMULATOR_GLIBC_MALLOC 1
#endif

TEST_CASE("half-megabyte blocks come from the heap and their memory stays there once freed" *
          doctest::skip(!CSR_EMULATOR_GLIBC_MALLOC)) {
    server::keep_freed_heap_memory();
    // Allocated last, freed together: they leave a free top of up to 2 MiB (glibc's default would
    // have mmap-ed each block and unmapped it when freed, leaving a top of tens of KiB).
    std::vector<void*> blocks;
    blocks.reserve(4);
    for (int i = 0; i < 4; ++i) blocks.push_back(std::malloc(512 * 1024));
    for (void* block : blocks) std::free(block);
    CHECK(mallinfo2().keepcost >= 1024 * 1024);
}
