// CPU accounting for the rig: per-process CPU from /proc/<pid>/stat and the host's idle share from /proc/stat,
// sampled at the start and end of each round. Linux only; elsewhere every reading is `null` (reported as unknown).
const fs = require('node:fs');

const TICKS_PER_S = 100; // USER_HZ: 100 on every Linux the rig runs on (getconf CLK_TCK)

function read(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** utime + stime of a process, in seconds (fields 14 and 15 of /proc/<pid>/stat, after the command name). */
function processCpuSeconds(pid) {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

/** Host-wide jiffies: total and idle (idle + iowait) from the first line of /proc/stat. */
function hostTimes() {
  const stat = read('/proc/stat');
  if (!stat) return null;
  const v = stat.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0); // guest time is already inside user/nice
  return { total, idle: v[3] + (v[4] || 0) };
}

/**
 * Starts a CPU window over the given processes. `end()` returns each one's CPU as a share of one core, and the
 * host's idle share of all cores, over the window.
 */
function cpuWindow(pids) {
  const t0 = process.hrtime.bigint();
  const p0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, processCpuSeconds(pid)]));
  const h0 = hostTimes();
  return {
    end() {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const share = {};
      for (const [k, pid] of Object.entries(pids)) {
        const now = processCpuSeconds(pid);
        share[k] = now === null || p0[k] === null ? null : (now - p0[k]) / wall;
      }
      const h1 = hostTimes();
      const hostIdle = h0 && h1 && h1.total > h0.total ? (h1.idle - h0.idle) / (h1.total - h0.total) : null;
      return { wall, share, hostIdle };
    },
  };
}

module.exports = { cpuWindow, processCpuSeconds };
