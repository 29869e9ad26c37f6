#include "storage/empty_database.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace storage {
namespace {

[[noreturn]] void fail_write(const std::string& path, int error) {
    throw Error("cannot write the new database '" + path + "': " + std::strerror(error), SQLITE_CANTOPEN);
}

}  // namespace

bool write_empty_database(const std::string& path) {
    const EmptyDatabaseImage image = empty_database_image();
    if (image.schema_version != latest_schema_version()) return false;
    for (const std::string& companion : {path + "-wal", path + "-shm"})
        if (::unlink(companion.c_str()) != 0 && errno != ENOENT) fail_write(companion, errno);
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail_write(path, errno);
    // Not synced, as the schema was not when it was executed: a process crash loses nothing (the
    // OS has the writes); a power loss right now could leave a half-written new file. (One
    // pwritev of the whole file instead of a write per chunk measured the same, ~1 ms: the cost is
    // the kernel's 71 new pages, not the calls.)
    int error = ::ftruncate(fd, static_cast<off_t>(image.file_size)) == 0 ? 0 : errno;
    for (std::size_t i = 0; i < image.chunk_count && error == 0; ++i) {
        const auto& chunk = image.chunks[i];
        const ssize_t n = ::pwrite(fd, image.data + chunk.start, chunk.size, static_cast<off_t>(chunk.offset));
        if (n != static_cast<ssize_t>(chunk.size)) error = n < 0 ? errno : EIO;
    }
    ::close(fd);
    if (error != 0) {
        // The caller made the file just now: removed, the next start begins afresh instead of
        // finding half a database.
        ::unlink(path.c_str());
        fail_write(path, error);
    }
    return true;
}

}  // namespace storage
