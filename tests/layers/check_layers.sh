#!/usr/bin/env bash
# The layer fence (DESIGN: server -> api -> {crypto, storage}): fails, naming each offending
# line, when a file under ROOT includes across a layer the wrong way. CMake's link lines keep a
# library from linking the wrong way; this keeps headers from being included the wrong way.
#
#   check_layers.sh ROOT     (ROOT holds server/ api/ crypto/ storage/)
set -u
root=${1:?usage: check_layers.sh ROOT}
cd "$root" || exit 2

failed=0
# forbid FOLDERS PATTERN REASON: an #include in a C++ file under any of FOLDERS whose path
# matches the extended regex PATTERN is a violation.
forbid() {
    local folders=$1 pattern=$2 reason=$3 folder hits
    for folder in $folders; do
        [ -d "$folder" ] || continue
        hits=$(grep -rnE --include='*.cpp' --include='*.hpp' --include='*.h' \
            "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pattern)" "$folder")
        if [ -n "$hits" ]; then
            printf '%s\n' "$hits" | sed "s|\$|   <- $reason|"
            failed=1
        fi
    done
}

forbid "api crypto storage" 'boost/' 'Beast/Asio stay in server/'
forbid "server api crypto" 'sqlite3\.h' 'SQLite stays in storage/'
forbid "server api storage" 'openssl/' 'OpenSSL stays in crypto/'
forbid "api crypto storage" 'server/' 'nothing below server/ sees it'
forbid "crypto storage" 'api/' 'crypto/ and storage/ never see api/'
forbid "crypto" 'storage/' 'crypto/ and storage/ never see each other'
forbid "storage" 'crypto/' 'crypto/ and storage/ never see each other'

if [ "$failed" -ne 0 ]; then
    echo "layer fence: includes across layers the wrong way (see above)" >&2
    exit 1
fi
echo "layer fence: ok"
