"""Runs a command and measures its whole process tree: wall seconds, CPU seconds, the peak of the
tree's summed resident memory and the largest single process's peak.

CPU is the rusage of the command and every descendant it waited for (os.wait4 on the command;
the kernel folds reaped grandchildren into their parent's children figures). Descendants that
are never reaped (a daemonised server, a forkserver's workers) would escape rusage, so the tree
is also sampled from /proc every INTERVAL seconds: each process's last seen utime + stime, summed
over every process ever seen, is printed as cpu_sampled; a cpu_sampled above cpu says rusage
missed part of the tree. Memory: at each sample, VmRSS summed over the tree (tree_rss_kb, its
maximum) and the largest VmHWM of any one process together with the command's ru_maxrss
(max_rss_kb).

    python proctree.py LOG -- COMMAND...      (stdout and stderr of COMMAND go to LOG)

Prints one JSON object: wall, cpu, cpu_sampled, tree_rss_kb, max_rss_kb, exit, processes.
"""
import json
import os
import subprocess
import sys
import time

INTERVAL = 0.1
TICKS = os.sysconf("SC_CLK_TCK")


def children_map():
    parents = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2:].split()
        parents[int(name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS)
    return parents


def tree(root, parents):
    """The pids under root (root included) with their own CPU seconds."""
    kids = {}
    for pid, (ppid, _) in parents.items():
        kids.setdefault(ppid, []).append(pid)
    found, stack = {}, [root]
    while stack:
        pid = stack.pop()
        if pid in parents:
            found[pid] = parents[pid][1]
        stack.extend(kids.get(pid, []))
    return found


def status_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    log, command = sys.argv[1], sys.argv[3:]
    assert sys.argv[2] == "--", "usage: proctree.py LOG -- COMMAND..."
    start = time.perf_counter()
    with open(log, "wb") as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    cpu_seen, tree_rss, max_hwm = {}, 0, 0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        members = tree(child.pid, children_map())
        cpu_seen.update(members)
        tree_rss = max(tree_rss, sum(status_kb(p, "VmRSS") for p in members))
        max_hwm = max([max_hwm] + [status_kb(p, "VmHWM") for p in members])
        time.sleep(INTERVAL)
    wall = time.perf_counter() - start
    print(json.dumps({
        "wall": round(wall, 2),
        "cpu": round(usage.ru_utime + usage.ru_stime, 2),
        "cpu_sampled": round(sum(cpu_seen.values()), 2),
        "tree_rss_kb": tree_rss,
        "max_rss_kb": max(max_hwm, usage.ru_maxrss),
        "exit": os.waitstatus_to_exitcode(status),
        "processes": len(cpu_seen),
    }))


if __name__ == "__main__":
    main()
