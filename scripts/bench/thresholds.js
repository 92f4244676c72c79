// When a round does not count (docs/performance.md "Method"): a rig process (load generator, Slack stand-in)
// busier than 70% of one core starts queueing in its own event loop, so it would set the pace instead of the
// app; a host with under 10% idle CPU means the app under test waits for a core (other work, or the rig itself).
module.exports = { RIG_MAX_CORE_SHARE: 0.7, HOST_MIN_IDLE: 0.1 };
