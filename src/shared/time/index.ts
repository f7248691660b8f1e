export * from './rome'
export * from './rome-input'
