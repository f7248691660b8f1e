import { describe, expect, it } from 'vitest'
import { findSecretFields, isSecretName } from '../../support/secret-fields'

describe('the secret-field guard used on every answer and event', () => {
  it('knows a secret by the words of its name, whatever the case style', () => {
    for (const name of [
      'token',
      'password',
      'secret',
      'key',
      'apiKey',
      'authToken',
      'privateKey',
      'pageAccessToken',
      'bot_token',
      'client-secret',
      'APIKEY',
      'pin',
    ])
      expect(isSecretName(name), name).toBe(true)
    for (const name of ['keyboard', 'monkey', 'tokenizer', 'spinner', 'passwordless', 'name'])
      expect(isSecretName(name), name).toBe(false)
  })

  it('finds one however deep it is, in objects and arrays, with its path', () => {
    const payload = {
      accounts: [{ id: 1, settings: { host: 'x', auth: { apiKey: 'abc' } } }],
      value: { password: 'p' },
    }
    expect(findSecretFields(payload).map((f) => f.path)).toEqual([
      'accounts.0.settings.auth.apiKey',
      'value.password',
    ])
  })

  it('lets through what a reviewed entry says is no secret, and only in that form', () => {
    expect(findSecretFields({ passwordSet: true, secrets: { botToken: true } })).toEqual([])
    expect(findSecretFields({ secrets: { botToken: 'tg-123' } }).map((f) => f.path)).toEqual([
      'secrets',
      'secrets.botToken',
    ])
    expect(findSecretFields({ rate: { tokens: 4 } })).toEqual([])
    expect(findSecretFields({ rate: { tokens: ['a'] } }).map((f) => f.path)).toEqual([
      'rate.tokens',
    ])
  })

  it('survives a cycle', () => {
    const a: Record<string, unknown> = { name: 'a' }
    a.self = a
    a.token = 'x'
    expect(findSecretFields(a).map((f) => f.path)).toEqual(['token'])
  })
})
