#!/usr/bin/env node
/**
 * `npm run bench`: runs every scripts/bench/*.bench.ts in this process (bundled
 * with esbuild for plain Node), prints a table of figures and ratios, and
 * writes them all to bench-results.json at the repository root.
 *
 *   npm run bench               every benchmark
 *   npm run bench -- contacts   only those whose file name contains "contacts"
 */
const { build } = require('esbuild')
const {
  mkdirSync,
  readdirSync,
  rmSync,
  writeFileSync,
  existsSync,
  readFileSync,
} = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')
const dir = join(__dirname, 'bench')
const filter = process.argv[2]

async function main() {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
    .sort()
  // Inside the repository, so the bundles resolve the project's node_modules.
  const out = join(root, 'node_modules', '.cache', 'vedetta-bench')
  mkdirSync(out, { recursive: true })
  const resultsFile = join(root, 'bench-results.json')
  // Keep figures of benchmarks not run this time (a filtered run updates only its own).
  const results =
    filter && existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : {}
  try {
    for (const file of files) {
      const bundle = join(out, file.replace(/\.ts$/, '.js'))
      await build({
        entryPoints: [join(dir, file)],
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        outfile: bundle,
        external: [
          'better-sqlite3',
          'playwright-core',
          '@playwright/test',
          'smpp',
          'nodemailer',
          'smtp-server',
          'esbuild',
          // Native, loaded from its platform package at run time.
          '@resvg/resvg-js',
        ],
        define: { 'import.meta.dirname': JSON.stringify(dir) },
        logLevel: 'warning',
      })
      const name = file.replace(/\.bench\.ts$/, '')
      process.stdout.write(`\n── ${name} ──\n`)
      const mod = require(bundle)
      const figures = await mod.run({ root })
      Object.assign(results, figures)
      printTable(figures)
    }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
  writeFileSync(join(root, 'bench-results.json'), JSON.stringify(results, null, 2) + '\n')
  process.stdout.write(`\nWrote bench-results.json (${Object.keys(results).length} figures).\n`)
}

function printTable(figures) {
  const width = Math.max(...Object.keys(figures).map((k) => k.length))
  for (const [k, v] of Object.entries(figures)) {
    const shown =
      typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : String(v)
    process.stdout.write(`  ${k.padEnd(width)}  ${shown.padStart(12)}\n`)
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
