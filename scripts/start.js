#!/usr/bin/env node
// `npm start`: builds when needed, then runs Lookout (or the playground when no Slack token is set).
require(require('./ensure-built')())
  .main()
  .catch((err) => {
    process.stderr.write(`Lookout could not start: ${err && err.message}\n`);
    process.exit(1);
  });
