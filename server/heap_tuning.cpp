#include "server/heap_tuning.hpp"

#include <malloc.h>

namespace server {

void keep_freed_heap_memory() {
    // A heap's free top goes back to the kernel once it exceeds the trim threshold. Setting it
    // also stops glibc from raising its mmap threshold (128 KiB at start) as large blocks are
    // freed; at 1 MiB, blocks up to that size (a large API answer, a long header read) keep coming
    // from the heap rather than from an mmap and munmap each time.
    mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
}

}  // namespace server
