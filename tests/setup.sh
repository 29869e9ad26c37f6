#!/usr/bin/env bash
# Installs what csr-emulator needs to build and test on Debian 12, skipping what is present.
# Usage: bash tests/setup.sh            (build + test dependencies, and the JS client's packages)
#        bash tests/setup.sh --runtime  (only what building and running the emulator needs)
set -euo pipefail
cd "$(dirname "$0")/.."

build_packages=(build-essential cmake pkg-config libboost1.81-dev nlohmann-json3-dev libssl-dev libc-ares-dev
                libsqlite3-dev libpsl-dev ca-certificates
                libidn2-dev libunistring-dev)  # libpsl's own dependencies' archives: the server links them statically
test_packages=(doctest-dev libvalijson-dev curl jq perl openssl python3 python3-cloudflare dnsmasq
               clang-14 libclang-rt-14-dev  # clang: the libFuzzer targets (tests/fuzz)
               chromium)                    # the web console's browser test (tests/console)

packages=("${build_packages[@]}")
[[ "${1:-}" == "--runtime" ]] || packages+=("${test_packages[@]}")
# Node.js runs the official TypeScript SDK tests; any Node >= 18 will do.
if [[ "${1:-}" != "--runtime" ]] && ! command -v node >/dev/null; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ "${1:-}" != "--runtime" && -f tests/clients/package-lock.json ]]; then
  # The pinned TypeScript SDK, and playwright-core + axe-core for the console test, which drive
  # Debian's chromium: no browser is downloaded (tests/clients/package-lock.json).
  for module in cloudflare playwright-core axe-core; do
    if [[ ! -d tests/clients/node_modules/$module ]]; then
      echo "setup: npm ci in tests/clients"
      PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix tests/clients --no-audit --no-fund --loglevel=error
      break
    fi
  done
fi
echo "setup: dependencies present"
