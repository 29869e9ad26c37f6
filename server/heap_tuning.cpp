#include "server/heap_tuning.hpp"

#include <malloc.h>

namespace server {

void keep_freed_heap_memory() {
    // A heap's free top goes back to the kernel once it exceeds this. Setting it fixes glibc's
    // threshold for mmap-ed blocks too (otherwise raised as large blocks are freed): set to what
    // that raising would reach for the blocks this process frees (a 64 KiB relay piece, a large
    // API answer), so that such blocks keep coming from the heap rather than from mmap each time.
    mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
}

}  // namespace server
