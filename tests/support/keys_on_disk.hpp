#pragma once
// What a database leaves in its files: the raw bytes of the file, its -wal and its -shm, read as
// an attacker with the disk would, to show a key was not left there in plaintext.
#include <fstream>
#include <iterator>
#include <string>

namespace test_support {

// How many times a PEM private key's marker ("PRIVATE KEY", in both its BEGIN and END lines)
// appears in the database file and its -wal and -shm.
inline int plaintext_keys_on_disk(const std::string& db_path) {
    int found = 0;
    for (const std::string& file : {db_path, db_path + "-wal", db_path + "-shm"}) {
        std::ifstream in(file, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (auto at = bytes.find("PRIVATE KEY"); at != std::string::npos; at = bytes.find("PRIVATE KEY", at + 1))
            ++found;
    }
    return found;
}

}  // namespace test_support
