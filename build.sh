#!/usr/bin/env bash
# Entry point: ./build.sh <Target> [--pipeline NAME] [--profile smoke|default|paper] [--force] [--device auto|cpu|cuda]
# Targets: Restore Compile Test Generate Train Evaluate Figures Reproduce Regression Bench Clean Targets
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

target="${1:-Test}"
case "$target" in -*) target=Test ;; *) shift || true ;; esac

# Cake takes --name=value; accept the friendlier "--name value" too.
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --force|--showtree|--tree|--dryrun|--verbose) args+=("$1"); shift ;;
    --*=*) args+=("$1"); shift ;;
    --*) if [ $# -ge 2 ] && [ "${2#--}" = "$2" ]; then args+=("$1=$2"); shift 2; else args+=("$1"); shift; fi ;;
    *) echo "build.sh: unexpected argument '$1'" >&2; exit 2 ;;
  esac
done

if [ "$target" != "Targets" ] && [ "$target" != "Clean" ]; then
  bash build/ensure-prereqs.sh
fi
dotnet tool restore >/dev/null
exec dotnet cake build/build.cake --target="$target" "${args[@]}"
