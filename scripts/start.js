#!/usr/bin/env node
/**
 * `npm start`: builds, then runs the Electron app. Where Electron's binary is
 * not installed (it is downloaded from the internet on first start, which some
 * machines cannot do), says so in one line and opens the same app through the
 * loopback host in a Chromium app window instead.
 */
const { spawnSync, spawn } = require('node:child_process')
const { join } = require('node:path')

const root = join(__dirname, '..')
const bin = (name) => join(root, 'node_modules', '.bin', name)

const build = spawnSync(bin('electron-vite'), ['build'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
})
if (build.status !== 0) {
  console.error('Vedetta: the build failed (see above).')
  process.exit(1)
}

function electronBinary() {
  try {
    return require('electron') // the package's main export is the binary's path, or it throws
  } catch {
    return undefined
  }
}

let electron = electronBinary()
if (!electron && !process.env.CI) {
  // First start on a connected machine: fetch the binary the install skipped.
  spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], {
    cwd: root,
    stdio: 'ignore',
    timeout: 180_000,
  })
  delete require.cache[require.resolve('electron')]
  electron = electronBinary()
}

if (electron) {
  const child = spawn(electron, [root, ...process.argv.slice(2)], { stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  console.log(
    'Electron is not installed on this machine (its binary could not be downloaded): starting Vedetta through the loopback host in a Chromium app window instead.',
  )
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'vedetta.js'), 'host', '--open', ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  )
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code) => process.exit(code ?? 0))
}
