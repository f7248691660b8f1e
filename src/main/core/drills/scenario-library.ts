import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { KnownNames } from '../../../shared/drills/scenario-checks'
import { loadScenarioFile, type ScenarioLoad } from './scenario-loader'

const SCENARIO_FILE_RE = /\.(?:ya?ml|json)$/i

/**
 * Every scenario file of a folder (the shipped ones in resources/scenarios, or
 * the trainer's own), loaded and checked, in file-name order. Broken files are
 * listed with their issues rather than hidden.
 */
export function loadScenarioFolder(
  dir: string,
  known?: KnownNames,
): (ScenarioLoad & { file: string })[] {
  return readdirSync(dir)
    .filter((name) => SCENARIO_FILE_RE.test(name))
    .sort()
    .map((name) => {
      const file = join(dir, name)
      return { ...loadScenarioFile(file, known), file }
    })
}
