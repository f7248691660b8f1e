import {
  describeImportIssue,
  type ImportIssueCode,
  type IssueParams,
} from '../../../../shared/contacts/import-issues'
import type { ImportIssue } from '../../../../shared/contacts/import-report'

/** An import issue with its sentences in both languages filled in. */
export function issue<C extends ImportIssueCode>(
  row: number,
  column: string | null,
  code: C,
  params: IssueParams = {},
): ImportIssue<C> {
  return {
    row,
    column,
    code,
    params,
    reason: describeImportIssue(code, params, 'en'),
    reasonIt: describeImportIssue(code, params, 'it'),
  }
}
