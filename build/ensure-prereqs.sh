#!/usr/bin/env bash
# Everything the project needs beyond the .NET SDK, installed by the project's own scripts:
#  - libstdc++ with GLIBCXX_3.4.32 for TorchSharp 0.107 (see ensure-libstdcxx.sh);
#  - a font (DejaVu) so figures render identically on a bare machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/ensure-libstdcxx.sh"

if ! ls /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "[prereq] installing fonts-dejavu-core for figure rendering"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq fonts-dejavu-core >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq fonts-dejavu-core >/dev/null; }
  else
    echo "[prereq] warning: DejaVu fonts missing (install fonts-dejavu-core); figures fall back to any installed font" >&2
  fi
fi
if ! command -v dotnet >/dev/null; then
  echo "[prereq] ERROR: the .NET 10 SDK (dotnet) is not on PATH; install it first (global.json pins the version)." >&2
  exit 1
fi
