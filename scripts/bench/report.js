// One line per figure: name, value, budget, ratio, verdict. Verdicts: PASS, MISS, BUSY (the rig or the host was
// saturated in every round, so no ratio is printed), INCOMPLETE (answers missing), INFO (no budget).
const lines = [];
let last = Date.now();

const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : null;
};
const fmt = (x, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits));

/**
 * Prints and keeps one figure. `ratio` is a number (printed as ×) or null; `verdict` one of the words above.
 * `busy` (from watchHost) turns the verdict into BUSY and drops the ratio: the value stays visible, marked.
 */
function figure(name, value, budget, ratio, verdict, note = '', busy = null) {
  if (busy) [ratio, verdict, note] = [null, 'BUSY', busy];
  const line = { name, value, budget, ratio: ratio === null || ratio === undefined ? '—' : `${fmt(ratio, 2)}×`, verdict, note };
  lines.push(line);
  if (process.argv.includes('--verbose')) process.stderr.write(`  (${((Date.now() - last) / 1000).toFixed(1)} s)\n`);
  last = Date.now();
  console.log(`${verdict.padEnd(10)} ${name.padEnd(40)} ${value.padEnd(56)} budget ${budget.padEnd(26)} ratio ${line.ratio}${note ? `  (${note})` : ''}`);
  return line;
}

/** For figures measured in this process: the host's idle share over the measurement (BUSY under 10%). */
function watchHost() {
  const { cpuWindow } = require('./cpu');
  const { HOST_MIN_IDLE } = require('./thresholds');
  const w = cpuWindow({});
  return () => {
    const idle = w.end().hostIdle;
    return idle !== null && idle < HOST_MIN_IDLE ? `host ${Math.round(idle * 100)}% idle` : null;
  };
}

const verdict = (ok) => (ok ? 'PASS' : 'MISS');

module.exports = { figure, watchHost, verdict, lines, median, percentile, fmt };
