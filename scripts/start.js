#!/usr/bin/env node
// `npm start` and the image's CMD: builds when needed (never in the image, which has no sources), then runs Lookout
// or the playground (src/playground/mode.ts decides which).
Promise.resolve()
  .then(() => require(require('./ensure-built')()).main())
  .catch((err) => {
    process.stderr.write(`Lookout could not start: ${err && err.message}\n`);
    process.exit(1);
  });
