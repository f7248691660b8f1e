#!/usr/bin/env node
/**
 * Builds installers with electron-builder. better-sqlite3 is rebuilt for
 * Electron's ABI only for the time of packaging, then back for Node so that
 * tests and the CLI keep working. Needs Electron's headers (internet).
 */
const { spawnSync } = require('node:child_process')
const { join } = require('node:path')

const root = join(__dirname, '..')
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`)
}
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
try {
  run(npx, ['electron-vite', 'build'])
  run(npx, ['electron-builder', 'install-app-deps'])
  run(npx, ['electron-builder', '--config', 'electron-builder.yml', ...process.argv.slice(2)])
} finally {
  spawnSync('npm', ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit' })
}
