#pragma once
// Request handlers that may settle a hostname into `active` (create at step 0, read, list, edit,
// the manual lifecycle routes) issue its DV pair there, and the pair's RSA key comes from the key
// pool, never made on a serving thread. This runs such a handler with KeyMiss::wait: when it
// finds no key ready (KeyNotReady, thrown before anything was stored), the request waits without
// blocking a thread and runs again on the key worker that has just made one.
#include "api/router.hpp"

namespace api {

Handler waiting_for_rsa_key(SyncHandler handler);

}  // namespace api
