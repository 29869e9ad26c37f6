#pragma once
// OpenSSL's one-time set-up, done ahead on a thread of its own (start-up runs it beside the
// database's opening): reading its configuration file, seeding the random generator, and
// building the key encoder and decoder registries that the first PEM read or write fetches.
// Each is paid once per process (2-3 ms in all); whichever call comes first pays it, so paying
// it off the main thread takes it off the path to the listening line. Calls made meanwhile on
// other threads wait on OpenSSL's own once-only locks and are never wrong.
namespace crypto {

// Never throws: a failure here shows again, with its message, in the call that needs the part.
void prepare_library() noexcept;

}  // namespace crypto
