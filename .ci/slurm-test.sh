#!/usr/bin/env bash
# Scale-out on a real Slurm: installs slurm-wlm and munge if missing, starts a one-node
# cluster without systemd (munged, slurmctld, slurmd in the foreground as background jobs of
# this script, every file under a temporary folder), then:
#   1. runs the quickstart and a WARC pipeline with --executor slurm --tasks 4 and compares
#      their outputs byte for byte with --executor local --tasks 4 (and the run without an
#      executor); MaxArraySize=3 makes each phase of 4 tasks two array jobs;
#   2. fails one task on purpose (CURATE_FAIL_TASK), checks that `curate status` reports it
#      and that `curate run --resume` resubmits that task alone and gives the same bytes;
# and stops exactly the daemons it started.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CURATE=${CURATE:-$ROOT/.build/debug/curate}
[ -x "$CURATE" ] || swift build
for tool in slurmctld slurmd munged mungekey sbatch; do
    if ! command -v "$tool" >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge
        break
    fi
done

S=$(mktemp -d /tmp/curate-slurm.XXXXXX)
M=$S/munge
PIDS=()
stop() {
    local status=$?
    # slurmd, slurmctld, munged: the reverse of the start order.
    for (( i=${#PIDS[@]}-1; i>=0; i-- )); do
        kill -TERM "${PIDS[i]}" 2>/dev/null || true
        wait "${PIDS[i]}" 2>/dev/null || true
    done
    if [ "$status" -ne 0 ]; then
        echo "slurm-test: FAILED; logs:" >&2
        tail -n 20 "$S"/log/*.log "$S"/runs/*/slurm/logs/* 2>/dev/null >&2 || true
    fi
    rm -rf "$S"
    exit "$status"
}
trap stop EXIT

fail() { echo "slurm-test: $*" >&2; exit 1; }

HOST=$(hostname)
mkdir -p "$M" "$S/state" "$S/spool" "$S/log" "$S/run" "$S/runs"
chmod 700 "$M"
printf '#!%s\nexit 0\n' "$(command -v sh)" > "$S/mailprog"
chmod +x "$S/mailprog"
cat > "$S/slurm.conf" <<EOF
ClusterName=curate-test
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$M/munge.socket.2
CredType=cred/munge
MpiDefault=none
MailProg=$S/mailprog
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$S/log/jobcomp.txt
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmctldPort=16817
SlurmdPort=16818
SlurmctldPidFile=$S/run/slurmctld.pid
SlurmdPidFile=$S/run/slurmd.pid
SlurmdSpoolDir=$S/spool
StateSaveLocation=$S/state
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
MinJobAge=600
MaxArraySize=3
NodeName=$HOST CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$S/slurm.conf

mungekey --create --keyfile="$M/munge.key"
chmod 400 "$M/munge.key"
munged --foreground --force --socket="$M/munge.socket.2" --key-file="$M/munge.key" \
    --pid-file="$M/munged.pid" --log-file="$M/munged.log" --seed-file="$M/munged.seed" > "$S/log/munged.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -S "$M/munge.socket.2" ] && break; sleep 0.1; done
[ -S "$M/munge.socket.2" ] || fail "munged did not start"
slurmctld -D -f "$S/slurm.conf" > "$S/log/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D -f "$S/slurm.conf" > "$S/log/slurmd.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 150); do [ "$(sinfo -h -N -o %T 2>/dev/null)" = idle ] && break; sleep 0.2; done
[ "$(sinfo -h -N -o %T)" = idle ] || fail "the node did not become idle"
echo "slurm-test: cluster up on $HOST (MaxArraySize=$(scontrol show config | awk '/^MaxArraySize/ {print $3}'))"

# A WARC pipeline over 4 files: the 50-record sample cut into three at gzip member (record)
# boundaries, and the second sample.
W=$S/warc
mkdir -p "$W/in"
python3 - "$ROOT/samples/warc/cc-2020-34-resiliparse-50rec.warc.gz" "$W/in" <<'EOF'
import sys, zlib
data = open(sys.argv[1], "rb").read()
starts, pos = [], 0
while pos < len(data):
    starts.append(pos)
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    d.decompress(data[pos:])
    pos = len(data) - len(d.unused_data)
cuts = [starts[len(starts) * k // 3] for k in range(3)] + [len(data)]
for k in range(3):
    open(f"{sys.argv[2]}/cc-2020-34-part{k}.warc.gz", "wb").write(data[cuts[k]:cuts[k + 1]])
EOF
cp "$ROOT/samples/warc/cc-2024-22-whirlwind.warc.gz" "$W/in/"
cat > "$W/pipeline.json" <<'EOF'
{
  "name": "warc-scaleout",
  "inputs": [{"format": "warc", "paths": ["in/*.warc.gz"]}],
  "stages": [
    {"type": "html_extract"},
    {"type": "normalize"},
    {"type": "length", "min_chars": 200},
    {"type": "minhash_dedup"},
    {"type": "bpe_train", "vocab_size": 512},
    {"type": "tokenize"}
  ],
  "output": "out"
}
EOF

R=$S/runs
outputs() { (cd "$1" && find docs shards tokenizer.json tokenizer.tiktoken work -type f ! -name '.*' | sort | xargs sha256sum); }
documents() {
    sqlite3 "$1/provenance.sqlite" "SELECT input_id, offset, doc_id, status, dropped_by, reason, decided_in_task FROM documents ORDER BY input_id, offset"
}
same() {
    diff <(outputs "$1") <(outputs "$2") >/dev/null || fail "$1 and $2 differ: $(diff <(outputs "$1") <(outputs "$2") | head -5)"
    diff <(documents "$1") <(documents "$2") >/dev/null || fail "the documents tables of $1 and $2 differ"
}
wait_for() { timeout 600 "$CURATE" status "$1" --wait; }
check_complete() {
    local rows distinct inputs
    "$CURATE" status "$1" --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
bad = [(p["phase"], t["task"], t["state"]) for p in s["phases"] for t in p["tasks"] if t["state"] != "done"]
sys.exit(f"not done: {bad}" if bad or not s["merged"] else 0)' || fail "$1 is not complete"
    read -r rows distinct < <(sqlite3 -separator ' ' "$1/provenance.sqlite" "SELECT COUNT(*), COUNT(DISTINCT input_id || '@' || offset) FROM documents")
    [ "$rows" = "$distinct" ] || fail "$1: duplicate documents rows ($rows rows, $distinct documents)"
    inputs=$(sqlite3 "$1/provenance.sqlite" "SELECT COUNT(*) FROM inputs WHERE id NOT IN (SELECT input_id FROM documents)")
    [ "$inputs" = 0 ] || fail "$1: $inputs inputs without documents rows"
}

for name in quickstart warc; do
    if [ $name = quickstart ]; then P=$ROOT/pipelines/quickstart.json; else P=$W/pipeline.json; fi
    "$CURATE" run "$P" -o "$R/$name-plain" --quiet --no-report > /dev/null
    "$CURATE" run "$P" -o "$R/$name-local" --executor local --tasks 4 --workers 2 > /dev/null
    "$CURATE" run "$P" -o "$R/$name-slurm" --executor slurm --tasks 4 --cpus-per-task 1 --sbatch-line comment=curate-slurm-test
    wait_for "$R/$name-slurm"
    check_complete "$R/$name-slurm"
    same "$R/$name-local" "$R/$name-slurm"
    same "$R/$name-plain" "$R/$name-slurm"
    echo "slurm-test: $name: slurm == local == plain ($(outputs "$R/$name-slurm" | wc -l) files, $(documents "$R/$name-slurm" | wc -l) documents rows)"
done
grep -q '^#SBATCH --comment=curate-slurm-test$' "$R/warc-slurm/slurm/phase-0.sh" || fail "the extra sbatch line is missing"
python3 -c '
import json, sys
jobs = json.load(open(sys.argv[1]))["jobs"]
zero = [j for j in jobs if j.get("phase") == 0]
assert [j["offset"] for j in zero] == [0, 3] and [j["tasks"] for j in zero] == [[0, 1, 2], [3]], zero
' "$R/warc-slurm/slurm/jobs.json" || fail "phase 0 was not split into arrays of at most MaxArraySize"

# A failed task: reported by status, resumed alone.
F=$R/warc-failed
CURATE_FAIL_TASK=0:2 "$CURATE" run "$W/pipeline.json" -o "$F" --executor slurm --tasks 4 > /dev/null
wait_for "$F"
status=$("$CURATE" status "$F")
echo "$status"
grep -q '^phase 0 (stream html_extract, normalize, length): 4 tasks: 3 done, 1 failed$' <<< "$status" || fail "status does not report the failed task"
grep -q 'task 2 failed: phase 0 task 2 failed on purpose' <<< "$status" || fail "status does not give the failure"
grep -q '^merge: not done$' <<< "$status" || fail "the merge ran after a failure"
before=$(stat -c '%n %i %s' "$F"/tasks/phase-0/task-0000[013].done "$F"/work/phase-0/part-0000[013].jsonl.zst)
"$CURATE" run "$W/pipeline.json" -o "$F" --executor slurm --resume > /dev/null
python3 -c '
import json, sys
jobs = json.load(open(sys.argv[1]))["jobs"]
assert [j["tasks"] for j in jobs if j.get("phase") == 0] == [[2]], jobs
' "$F/slurm/jobs.json" || fail "--resume did not resubmit phase 0 task 2 alone"
wait_for "$F"
check_complete "$F"
after=$(stat -c '%n %i %s' "$F"/tasks/phase-0/task-0000[013].done "$F"/work/phase-0/part-0000[013].jsonl.zst)
[ "$before" = "$after" ] || fail "--resume rewrote finished tasks"
same "$R/warc-slurm" "$F"
echo "slurm-test: failure injected, reported and resumed without rerunning finished tasks"
echo "slurm-test: OK"
