#!/usr/bin/env bash
# Install the Debian packages a target needs, only those missing (apt-get update at most once).
#   scripts/system-deps.sh run    what `make demo` / `make run` need
#   scripts/system-deps.sh test   plus what the test suite needs (database servers, tools)
set -euo pipefail
target=${1:-run}

run_pkgs=(python3-venv ca-certificates libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils xorriso openssl libengine-gost-openssl)
test_pkgs=(postgresql redis-server docker-compose qpdf libnss3-tools softhsm2 opensc chromium)

wanted=("${run_pkgs[@]}")
[ "$target" = test ] && wanted+=("${test_pkgs[@]}")

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
# a Python built from source (pyenv) has venv without Debian's python3-venv
if [ ${#missing[@]} -gt 0 ] && python3 -m venv --help >/dev/null 2>&1; then
  missing=("${missing[@]/python3-venv}")
fi
missing=($(printf '%s\n' "${missing[@]}" | sed '/^$/d'))
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Нужны пакеты Debian: ${missing[*]} — установите их от root (apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "Устанавливаю пакеты Debian: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
