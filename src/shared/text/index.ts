/** Text measures per channel: SMS encoding and parts, graphemes, provider counters. */
export * from './gsm7'
export * from './gsm7-fix'
export * from './graphemes'
export * from './sms-segments'
export * from './counters'
