import { execFileSync } from 'node:child_process'
import path from 'node:path'

/** The OASIS CAP 1.2 schema and sample files kept with the project's specifications. */
export const CAP_SPECS = path.resolve(__dirname, '../../../shared/specs/cap')
export const CAP_XSD = path.join(CAP_SPECS, 'cap12.xsd')

/**
 * Validates a CAP file with xmllint against the OASIS schema (never --noent,
 * never the network). Returns the errors, or '' when the file is valid.
 */
export function capSchemaErrors(file: string): string {
  try {
    execFileSync('/usr/bin/xmllint', ['--nonet', '--noout', '--schema', CAP_XSD, file], {
      stdio: 'pipe',
    })
    return ''
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? 'xmllint failed'
    return stderr || 'xmllint failed'
  }
}
