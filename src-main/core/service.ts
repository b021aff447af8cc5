// The service's entry point is core/service/index.ts; this re-export serves importers not yet moved.
export * from './service/index.ts'
