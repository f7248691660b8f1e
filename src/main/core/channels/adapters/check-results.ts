import type { ConnectionCheck } from '../adapter'
import type { CheckParams, CheckPassedCode } from '../../../../shared/channels/check-results'
import type { FailedOutcome } from './http-errors'
import type { NoAnswer, Redactor } from './http'
import { describeTransport } from './http-errors'

/**
 * Connection-check results with their code and parameters (see shared/channels/check-results):
 * the adapter still writes its Italian sentence, and the room words the code in the
 * operator's language.
 */
export function checkPassed(
  code: CheckPassedCode,
  params: CheckParams,
  message: string,
): ConnectionCheck {
  return { ok: true, message, code, params }
}

/** A check the provider answered with a refusal: the same code and words as a refused send. */
export function checkRefused(
  outcome: Pick<FailedOutcome, 'code' | 'reason'> & { providerText?: string | undefined },
  provider: string,
  extra: CheckParams = {},
): ConnectionCheck {
  return {
    ok: false,
    message: outcome.reason,
    code: outcome.code,
    params: {
      provider,
      ...(outcome.providerText ? { providerText: outcome.providerText } : {}),
      ...extra,
    },
  }
}

/** A check that heard nothing from the provider: no answer, stopped, too large, or no connection. */
export function checkUnanswered(
  result: NoAnswer,
  provider: string,
  redactor: Redactor,
): ConnectionCheck {
  return {
    ok: false,
    message: redactor.redact(describeTransport(result, provider)),
    code: `transport_${result.type}`,
    params: {
      provider,
      ...(result.type === 'too_large' ? { limitBytes: result.limit } : {}),
      ...(result.type === 'network' ? { providerText: redactor.redact(result.message) } : {}),
    },
  }
}
