#!/usr/bin/env node
/**
 * `npm test`: every check, in order, even after a failure, then one closing
 * line `N passed, N failed` with the totals over every suite (CI reads it).
 *
 *   lint · format · Electron security review (Electronegativity, scripts/electronegativity.js)
 *   · type-check (node, web) · build · unit+integration+component (vitest)
 *   · end-to-end in Debian's Chromium (Playwright)
 */
const { spawnSync } = require('node:child_process')
const { existsSync, mkdirSync, readFileSync, rmSync } = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')
const results = join(root, '.test-results')
rmSync(results, { recursive: true, force: true })
mkdirSync(results, { recursive: true })

const bin = (name) => join(root, 'node_modules', '.bin', name)
let passed = 0
let failed = 0
const summary = []

function run(label, command, args) {
  process.stdout.write(`\n=== ${label} ===\n`)
  const r = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0' },
  })
  return r.status === 0
}

function check(label, command, args) {
  const ok = run(label, command, args)
  if (ok) passed++
  else failed++
  summary.push(`${ok ? 'ok  ' : 'FAIL'} ${label}`)
  return ok
}

/** Failing tests named in the closing summary, so a log's tail says what to look at. */
const failures = []
const firstLine = (text) =>
  String(text ?? '')
    .split('\n')
    .find((l) => l.trim() !== '') ?? ''

function vitestFailures(report) {
  for (const file of report.testResults ?? []) {
    const name = file.name.replace(`${root}/`, '')
    const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed')
    for (const t of failedTests) {
      failures.push(`  ${name} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`.slice(0, 400))
    }
    // A file that failed to load has no failed test but a message of its own.
    if (failedTests.length === 0 && file.status === 'failed') {
      failures.push(`  ${name}: ${firstLine(file.message)}`.slice(0, 400))
    }
  }
}

function playwrightFailures(report) {
  const walk = (suite, path) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status === 'expected' || t.status === 'skipped') continue
        const error = t.results?.find((r) => r.error)?.error?.message
        failures.push(
          `  ${spec.file} › ${[...path, spec.title].join(' › ')} (${t.status}): ${firstLine(error)}`.slice(
            0,
            400,
          ),
        )
      }
    }
    for (const child of suite.suites ?? [])
      walk(child, suite.title && !suite.title.endsWith('.ts') ? [...path, suite.title] : path)
  }
  for (const s of report.suites ?? []) walk(s, [])
}

/** Adds a runner's own counts from its JSON report; a missing report is a failure. */
function suite(label, ok, reportFile, count, listFailures) {
  if (!existsSync(reportFile)) {
    failed++
    summary.push(`FAIL ${label}: no report (the runner did not complete)`)
    return
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8'))
  const { pass, fail } = count(report)
  listFailures(report)
  passed += pass
  failed += fail
  // A runner that failed without a failing test (a crash in setup) still counts as one failure.
  if (!ok && fail === 0) failed++
  summary.push(`${ok && fail === 0 ? 'ok  ' : 'FAIL'} ${label}: ${pass} passed, ${fail} failed`)
}

check('lint', bin('eslint'), ['--max-warnings', '0', '.'])
check('format', bin('prettier'), ['--check', '--log-level', 'warn', '.'])
check('Electron security review (Electronegativity)', process.execPath, [
  join(root, 'scripts', 'electronegativity.js'),
])
check('type-check (node)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.node.json'])
check('type-check (web)', bin('vue-tsc'), ['--noEmit', '-p', 'tsconfig.web.json'])
check('type-check (component tests)', bin('vue-tsc'), ['--noEmit', '-p', 'tsconfig.component.json'])
const built = check('build', bin('electron-vite'), ['build'])

const unitReport = join(results, 'vitest.json')
const unitOk = run('unit, integration and component tests (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${unitReport}`,
])
suite(
  'vitest',
  unitOk,
  unitReport,
  (r) => ({
    pass: r.numPassedTests,
    fail:
      r.numFailedTests +
      (r.numTotalTests -
        r.numPassedTests -
        r.numFailedTests -
        r.numPendingTests -
        (r.numTodoTests ?? 0)),
  }),
  vitestFailures,
)

if (built) {
  const e2eOk = run('end-to-end tests in Chromium (Playwright)', bin('playwright'), ['test'])
  suite(
    'playwright',
    e2eOk,
    join(results, 'e2e.json'),
    (r) => ({
      pass: r.stats.expected,
      fail: r.stats.unexpected + r.stats.flaky,
    }),
    playwrightFailures,
  )
} else {
  failed++
  summary.push('FAIL playwright: not run, the build failed')
}

const failing = failures.length > 0 ? `\nFailing tests:\n${failures.join('\n')}\n` : ''
process.stdout.write(`\n${summary.join('\n')}\n${failing}\n${passed} passed, ${failed} failed\n`)
process.exit(failed === 0 ? 0 : 1)
