import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'

const BUILT = 'core-worker.js'
const SOURCE = join('src', 'main', 'core', 'workers', 'core-worker.ts')
/** One path per process, whichever copy of this module asks (tests may load it more than once). */
const CACHE = Symbol.for('vedetta.coreWorkerScript')

/**
 * The file the core's worker threads run. Built, it is electron-vite's
 * `core-worker` entry: `out/main/core-worker.js`, beside the Electron shell's
 * and the CLI's entries (this code itself may sit in `out/main/chunks`). Run
 * from source (vitest, the benchmarks), the worker entry is bundled once per
 * process with the project's esbuild, so a test runs the very same code; the
 * bundling runs in esbuild's own process, so it does not hold the loop either.
 */
export function coreWorkerScript(): Promise<string> {
  const cache = globalThis as { [CACHE]?: Promise<string> }
  const built = builtScript()
  if (built) return Promise.resolve(built)
  return (cache[CACHE] ??= scriptFromSource())
}

function builtScript(): string | undefined {
  for (const dir of [__dirname, join(__dirname, '..')]) {
    const file = join(dir, BUILT)
    if (existsSync(file)) return file
  }
  return undefined
}

/** The repository root above `from`: the folder holding the worker's source. */
function sourceRoot(from: string): string | undefined {
  let dir = from
  for (;;) {
    if (existsSync(join(dir, SOURCE))) return dir
    const parent = join(dir, '..')
    if (parent === dir) return undefined
    dir = parent
  }
}

interface Esbuild {
  build(options: Record<string, unknown>): Promise<unknown>
}

async function scriptFromSource(): Promise<string> {
  const root = sourceRoot(__dirname)
  if (!root) {
    throw new Error(
      `the core's worker (${BUILT}) is missing next to ${__dirname}: the app was not built whole (npm run build)`,
    )
  }
  // Through createRequire so that no bundler takes esbuild (a development tool) into the app.
  const esbuild = createRequire(join(root, 'package.json'))('esbuild') as Esbuild
  // Inside the repository, so the bundle finds better-sqlite3 in its node_modules.
  const dir = join(root, 'node_modules', '.cache', 'vedetta-workers')
  mkdirSync(dir, { recursive: true })
  const outfile = join(dir, `core-worker-${process.pid}-${threadId}-${Date.now()}.js`)
  await esbuild.build({
    entryPoints: [join(root, SOURCE)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Native: loaded from their platform packages at run time.
    external: ['better-sqlite3', '@resvg/resvg-js'],
    logLevel: 'error',
  })
  process.once('exit', () => rmSync(outfile, { force: true }))
  return outfile
}
