#!/usr/bin/env bash
# Proves the layer fence can fail: a clean tree passes, and each kind of wrong include, alone in
# an otherwise clean tree, makes check_layers.sh fail.
set -u
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

clean_tree() {
    rm -rf "$work/tree"
    mkdir -p "$work/tree"/{server,api,crypto/detail,storage}
    printf '#include <boost/beast/http.hpp>\n#include "api/router.hpp"\n#include "storage/database.hpp"\n' >"$work/tree/server/main.cpp"
    printf '#include "crypto/csr.hpp"\n#include "storage/csr_repository.hpp"\n' >"$work/tree/api/handlers.cpp"
    printf '#include <openssl/x509.h>\n' >"$work/tree/crypto/detail/ossl.hpp"
    printf '#include <sqlite3.h>\n' >"$work/tree/storage/database.cpp"
}

status=0
clean_tree
if ! bash "$here/check_layers.sh" "$work/tree" >/dev/null; then
    echo "FAIL: a clean tree was refused"
    status=1
fi

# file|line: each is added to a clean tree on its own and must be refused.
while IFS='|' read -r file line; do
    [ -n "$file" ] || continue
    clean_tree
    mkdir -p "$(dirname "$work/tree/$file")"
    printf '%s\n' "$line" >>"$work/tree/$file"
    if bash "$here/check_layers.sh" "$work/tree" >/dev/null 2>&1; then
        echo "FAIL: not refused: $file: $line"
        status=1
    else
        echo "refused as it should be: $file: $line"
    fi
done <<'CASES'
api/uses_asio.cpp|#include <boost/asio/io_context.hpp>
crypto/uses_beast.hpp|#include <boost/beast/core.hpp>
api/uses_sqlite.cpp|#include <sqlite3.h>
crypto/keys.cpp|#  include "sqlite3.h"
server/raw_sql.cpp|#include <sqlite3.h>
storage/hash.cpp|#include <openssl/sha.h>
api/pem.cpp|#include <openssl/pem.h>
server/tls.cpp|#include <openssl/ssl.h>
api/handlers.cpp|#include "server/config.hpp"
storage/database.cpp|#include "server/logger.hpp"
crypto/detail/ossl.hpp|#include "server/logger.hpp"
crypto/csr.cpp|#include "api/errors.hpp"
storage/csr_repository.cpp|#include "api/context.hpp"
crypto/csr.cpp|#include "storage/database.hpp"
storage/csr_repository.cpp|#include "crypto/csr.hpp"
CASES
exit $status
