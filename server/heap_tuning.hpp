#pragma once
// How glibc's allocator gives freed memory back to the kernel, set once at start (before any
// thread). Private to server/.

namespace server {

// By default glibc returns the top of a thread's heap to the kernel (madvise) whenever 128 KiB
// of it are free there. Every TLS connection's buffers (Asio's two 17 KiB records, OpenSSL's)
// crossed that line when freed, so the edge's threads gave pages back and faulted them in again
// at almost every handshake, each time also interrupting the process's other threads to flush
// their TLB entries for those pages. Kept up to a few MiB per heap instead.
void keep_freed_heap_memory();

}  // namespace server
