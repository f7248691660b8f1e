/**
 * One start racing others for a workspace lock (bundled and run as its own
 * process by host-lock.test.ts): it waits for the shared starting time, tries
 * once, prints `won` or `lost <message>`, and if it won keeps the lock alive
 * until the stop file appears, so the others race against a live holder.
 */
import { existsSync, readFileSync } from 'node:fs'
import { acquireLock } from '../../../src/main/core/host-lock'

const [dataDir, goFile, stopFile] = process.argv.slice(2) as [string, string, string]
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

process.stdout.write('ready\n')
while (!existsSync(goFile)) sleep(5)
const at = Number(readFileSync(goFile, 'utf8'))
while (Date.now() < at) {
  // spin: every racer leaves within the same instant
}
let release: (() => void) | undefined
try {
  release = acquireLock(dataDir)
  process.stdout.write('won\n')
} catch (err) {
  process.stdout.write(`lost ${(err as Error).message}\n`)
}
const wait = setInterval(() => {
  if (!existsSync(stopFile)) return
  clearInterval(wait)
  release?.()
}, 20)
