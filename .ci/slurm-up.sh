#!/usr/bin/env bash
# Brings up a single-node SLURM cluster on this host for the cluster tests: this host is controller and compute node.
# Debian 12: installs slurm-wlm and munge from the default (bookworm) source, writes a private slurm.conf, starts
# munged, slurmctld and slurmd, and waits until sinfo shows the node idle. Needs root. Prints the SLURM_CONF to export.
# Stop it with .ci/slurm-down.sh. Accounting (slurmdbd) is not set up: sacct is unavailable, squeue/scontrol are used.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then echo "slurm-up: needs root (installs packages and starts daemons)" >&2; exit 1; fi
conf_dir=${SLURM_UP_DIR:-/etc/slurm-boltz}
export DEBIAN_FRONTEND=noninteractive
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  apt-get update -qq
  # The default source (bookworm on Debian 12) serves slurm-wlm 22.05; a trixie pin added for libstdc++ is not used.
  if apt-cache policy slurm-wlm | grep -q bookworm; then
    apt-get install -y -qq -t bookworm slurm-wlm munge >/dev/null
  else
    apt-get install -y -qq slurm-wlm munge >/dev/null
  fi
fi

host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(free -m | awk '/^Mem:/ {print $2}') - 1024 ))
mkdir -p "$conf_dir" /var/spool/slurmctld-boltz /var/spool/slurmd-boltz /var/log/slurm-boltz
cat > "$conf_dir/slurm.conf" <<CONF
ClusterName=boltz
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld-boltz
SlurmdSpoolDir=/var/spool/slurmd-boltz
SlurmctldPidFile=/run/slurmctld-boltz.pid
SlurmdPidFile=/run/slurmd-boltz.pid
SlurmctldLogFile=/var/log/slurm-boltz/slurmctld.log
SlurmdLogFile=/var/log/slurm-boltz/slurmd.log
SchedulerType=sched/backfill
SchedulerParameters=defer_batch=0
MinJobAge=300
KillWait=5
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$conf_dir/slurm.conf"

# munge: a key, then the daemon (--force: it refuses to run as root otherwise).
if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  if command -v mungekey >/dev/null; then mungekey --create --force >/dev/null 2>&1 || true; fi
  [ -s /etc/munge/munge.key ] || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  chmod 400 /etc/munge/munge.key
fi
mkdir -p /run/munge /var/log/munge /var/lib/munge
pgrep -x munged >/dev/null || munged --force

# Already up (a second run in the same machine): keep it.
pgrep -f "slurmctld -f $SLURM_CONF" >/dev/null || slurmctld -f "$SLURM_CONF"
pgrep -f "slurmd -f $SLURM_CONF" >/dev/null || slurmd -f "$SLURM_CONF"
for _ in $(seq 1 120); do
  state=$(sinfo -h -o %T 2>/dev/null | head -1 || true)
  [ "$state" = "idle" ] && break
  sleep 0.5
done
if [ "$state" != "idle" ]; then
  echo "slurm-up: the node did not become idle (state: '${state:-none}'); logs in /var/log/slurm-boltz" >&2
  exit 1
fi
echo "slurm-up: single-node cluster '$host' idle ($cpus CPUs, ${mem} MB); export SLURM_CONF=$SLURM_CONF"
