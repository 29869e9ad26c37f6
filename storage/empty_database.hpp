#pragma once
// A new database file starts as a copy of an empty one made at build time
// (storage/build_tools/make_empty_database.cpp), not by executing the schema: creating its 55
// tables, indexes and triggers took 7.4 ms of a 23 ms start-up, against ~0.2 ms to write the
// file; opening it then costs what opening an existing database does.
#include <cstddef>
#include <cstdint>
#include <string>

namespace storage {

struct EmptyDatabaseImage {
    // A run of the file's non-zero bytes: `size` bytes of `data` from `start`, at `offset`.
    struct Chunk {
        std::size_t offset, start, size;
    };
    int schema_version;  // storage/fresh_schema.cpp's, whose text made it
    std::size_t file_size;
    const Chunk* chunks;
    std::size_t chunk_count;
    const unsigned char* data;
};

// Made by the build (the generated empty_database_image.cpp).
EmptyDatabaseImage empty_database_image() noexcept;

// Fills `path`, a file just made empty by the caller, with the empty database, when the image is
// of the latest schema version; false (the file untouched) when it is not, and the caller creates
// the schema itself. Removes `path`-wal and `path`-shm first: left beside a file that did not
// exist, they belong to another database and would be replayed into this one. Throws Error when
// the file cannot be written, after removing it (the next start begins afresh).
bool write_empty_database(const std::string& path);

}  // namespace storage
