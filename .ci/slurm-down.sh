#!/usr/bin/env bash
# Stops the single-node SLURM cluster started by .ci/slurm-up.sh (its slurmd and slurmctld, by their pid files).
set -uo pipefail
for pidfile in /run/slurmd-boltz.pid /run/slurmctld-boltz.pid; do
  if [ -s "$pidfile" ]; then
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null && for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$pidfile"
  fi
done
echo "slurm-down: slurmctld and slurmd stopped"
