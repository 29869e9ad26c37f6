#pragma once
// The Context every in-process API test starts from: an in-memory database and a key pool with
// no keys made ahead (one worker), so a test pays for no key it does not ask for.
#include "api/context.hpp"
#include "api/key_pool.hpp"
#include "storage/database.hpp"

namespace test_support {

struct ContextFixture {
    storage::Database db{":memory:"};
    api::KeyPool keys{0, 1};
    api::Context context{db, keys};
};

}  // namespace test_support
