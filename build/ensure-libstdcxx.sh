#!/usr/bin/env bash
# Ensures the C++ runtime that TorchSharp 0.107's native library needs (GLIBCXX_3.4.32, GCC 13+).
# Debian 12 ships GCC 12's libstdc++ (up to GLIBCXX_3.4.30). When root on Debian 12 we add a
# Debian 13 (trixie) source built from the URI the machine already uses (never a hard-coded host),
# pin trixie at priority 100 so nothing else is upgraded, and install libstdc++6 from it.
set -euo pipefail

need=GLIBCXX_3.4.32
lib_has_symbol() {
  local f
  for f in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
    [ -e "$f" ] || continue
    if grep -aq "$need" "$f"; then return 0; fi
  done
  return 1
}

if lib_has_symbol; then
  echo "[prereq] libstdc++ provides $need"
  exit 0
fi

codename=""
[ -r /etc/os-release ] && codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")

# The URI of the machine's existing Debian (non-security) source.
debian_uri() {
  local uri=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    uri=$(awk '/^URIs:/ {for (i=2;i<=NF;i++) if ($i !~ /security/) {print $i; exit}}' /etc/apt/sources.list.d/*.sources | head -n1)
  fi
  if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb" && $0 !~ /security/ { for (i=2;i<=NF;i++) if ($i ~ /^(https?|file|ftp):/) {print $i; exit} }' /etc/apt/sources.list | head -n1)
  fi
  echo "$uri"
}

uri=$(debian_uri)
manual() {
  cat >&2 <<MSG
[prereq] ERROR: $1
TorchSharp 0.107 needs libstdc++ with $need (GCC 13 or newer). On Debian 12, as root:
  echo 'Types: deb
URIs: ${uri:-<your Debian mirror URI>}
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' > /etc/apt/sources.list.d/trixie-libstdcxx.sources
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' > /etc/apt/preferences.d/trixie-low-priority
  apt-get update && apt-get install -y -t trixie libstdc++6
MSG
  exit 1
}

[ "$codename" = "bookworm" ] || manual "this is not Debian 12 (VERSION_CODENAME=${codename:-unknown}); install a libstdc++ from GCC 13+ yourself."
[ "$(id -u)" = "0" ] || manual "not running as root, so the runtime cannot be installed automatically."
[ -n "$uri" ] || manual "could not read the URI of this machine's Debian apt source."

echo "[prereq] installing libstdc++6 from Debian 13 (trixie) via $uri, pinned at priority 100"
cat > /etc/apt/sources.list.d/trixie-libstdcxx.sources <<SRC
Types: deb
URIs: $uri
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' > /etc/apt/preferences.d/trixie-low-priority
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq -t trixie libstdc++6 >/dev/null
lib_has_symbol || manual "libstdc++6 from trixie was installed but still lacks $need."
echo "[prereq] libstdc++ now provides $need"
