// One line per figure: name, value, budget, ratio, verdict. Verdicts: PASS, MISS, BUSY (the rig or the host was
// saturated in every round, so no ratio is printed), INCOMPLETE (answers missing), INFO (no budget).
const lines = [];

const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : null;
};
const fmt = (x, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits));

/** Prints and keeps one figure. `ratio` is a number (printed as ×) or null; `verdict` one of the words above. */
function figure(name, value, budget, ratio, verdict, note = '') {
  const line = { name, value, budget, ratio: ratio === null || ratio === undefined ? '—' : `${fmt(ratio, 2)}×`, verdict, note };
  lines.push(line);
  console.log(`${verdict.padEnd(10)} ${name.padEnd(40)} ${value.padEnd(56)} budget ${budget.padEnd(26)} ratio ${line.ratio}${note ? `  (${note})` : ''}`);
  return line;
}

const verdict = (ok) => (ok ? 'PASS' : 'MISS');

module.exports = { figure, verdict, lines, median, percentile, fmt };
