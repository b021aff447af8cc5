// Long tasks as the UI sees them, and errors as they cross the boundary.

export interface JobProgress {
  jobId: string
  kind: string
  phase: string
  done: number
  total: number
  rate: number
  etaSeconds: number | null
}

export interface JobEnded {
  jobId: string
  kind: string
  status: 'done' | 'cancelled' | 'failed'
  error?: WireError
}

export interface WireError {
  code: string
  message: string
}
