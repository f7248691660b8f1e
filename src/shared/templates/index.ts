/** Templates: kinds and levels, the variable catalogue, validation, rendering and preview. */
export * from './alert-kinds'
export * from './variables'
export * from './template-schema'
export * from './placeholders'
export * from './validate'
export * from './render'
export * from './format-it'
export * from './preview'
