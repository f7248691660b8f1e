/** The citizens' inbox: types, command schemas and safe display of untrusted text. */
export * from './types'
export * from './schemas'
export * from './safe-text'
