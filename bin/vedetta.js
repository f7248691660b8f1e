#!/usr/bin/env node
// Launches the built command line (out/main/cli.js), built by `npm run build`.
const { existsSync } = require('node:fs')
const { join } = require('node:path')

const cli = join(__dirname, '..', 'out', 'main', 'cli.js')
if (!existsSync(cli)) {
  process.stderr.write('vedetta: the app is not built yet: run `npm run build` first\n')
  process.exit(1)
}
require(cli).run(process.argv.slice(2))
