#!/usr/bin/env node
// `npm start`: builds when needed, then runs Lookout.
require(require('./ensure-built')());
