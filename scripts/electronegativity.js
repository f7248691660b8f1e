#!/usr/bin/env node
/**
 * The Electron security review of `src` (Electronegativity), as `npm test` runs it:
 * fails on any HIGH finding, on a MEDIUM one that .electronegativity-allow.json does
 * not list with its reason, and on a file the tool cannot parse (a file not checked).
 * LOW and informational findings are printed for the reader.
 *
 * The check that downloads Electron's release list is left out (the run is offline and
 * says nothing about our sources); the Electron version is the one installed.
 * Electronegativity reads .ts, .tsx, .js and .html files; .vue files are not read
 * (the renderer never touches Electron: it only has the preload's contract bridge).
 */
const { readFileSync } = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')
const allowFile = join(root, '.electronegativity-allow.json')
const TRANSLATIONS_NOTE = 'Could not retrieve updated translations for the current locale'

/** `[{ check, file, reason }]`: a MEDIUM finding of `check` in `file` (relative to src) is accepted. */
function readAllowList(file = allowFile) {
  const { allow } = JSON.parse(readFileSync(file, 'utf8'))
  for (const entry of allow) {
    if (!entry.check || !entry.file || !(entry.reason ?? '').trim())
      throw new Error(`${file}: every entry needs check, file and reason`)
  }
  return allow
}

/** Splits findings into failures, accepted ones (with their entry) and notes. */
function judge(issues, allow) {
  const failures = []
  const accepted = []
  const notes = []
  const used = new Set()
  for (const issue of issues) {
    const severity = issue.severity.name
    if (severity === 'HIGH') failures.push(issue)
    else if (severity === 'MEDIUM') {
      const entry = allow.find((a) => a.check === issue.id && a.file === issue.file)
      if (entry) {
        used.add(entry)
        accepted.push({ issue, entry })
      } else failures.push(issue)
    } else notes.push(issue)
  }
  const stale = allow.filter((a) => !used.has(a))
  return { failures, accepted, notes, stale }
}

const where = (i) => `${i.file}:${i.location.line}:${i.location.column}`

/**
 * Runs the review on `input` and judges it against the allow-list: `{ ok, lines }`,
 * the lines being what a person reads (one per finding, then the totals).
 */
async function review({ input = join(root, 'src'), allowList = allowFile } = {}) {
  const engine = require('@doyensec/electronegativity')
  const run = engine.default ?? engine
  const electron = require('electron/package.json').version
  const allow = readAllowList(allowList)
  const log = console.log
  // The library asks the Internet for translations first; offline it says so on every run.
  console.log = (...args) => {
    if (args[0] !== TRANSLATIONS_NOTE) log(...args)
  }
  let result
  try {
    result = await run({
      input,
      isRelative: true,
      electronVersionOverride: electron,
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    })
  } finally {
    console.log = log
  }
  const unparsed = result.errors.filter((e) => !e.tolerable)
  const { failures, accepted, notes, stale } = judge(result.issues, allow)
  const lines = [
    `Electronegativity (Electron ${electron}): ${result.atomicChecks} checks, ${result.globalChecks} global`,
  ]
  for (const e of unparsed) lines.push(`FAIL cannot parse ${e.file}: ${e.message}`)
  for (const i of failures)
    lines.push(`FAIL ${i.severity.name} ${i.id} ${where(i)}: ${i.description} (${i.shortenedURL})`)
  for (const { issue, entry } of accepted)
    lines.push(`ok   MEDIUM ${issue.id} ${where(issue)}, allowed: ${entry.reason}`)
  for (const i of notes) lines.push(`note ${i.severity.name} ${i.id} ${where(i)}: ${i.description}`)
  for (const a of stale)
    lines.push(`note allow-list entry ${a.check} in ${a.file} matches nothing now: remove it`)
  const high = result.issues.filter((i) => i.severity.name === 'HIGH').length
  const medium = result.issues.filter((i) => i.severity.name === 'MEDIUM').length
  lines.push(
    `${high} high, ${medium} medium (${accepted.length} allowed), ${notes.length} low or informational, ${unparsed.length} files not parsed`,
  )
  return { ok: failures.length === 0 && unparsed.length === 0, lines }
}

module.exports = { review }

if (require.main === module) {
  review().then(
    ({ ok, lines }) => {
      console.log(lines.join('\n'))
      process.exit(ok ? 0 : 1)
    },
    (err) => {
      console.error(`Electronegativity could not run: ${err?.stack ?? err}`)
      process.exit(1)
    },
  )
}
