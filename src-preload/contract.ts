// The protocol between the UI and the service. Types only: nothing here runs.
export type Placeholder = never
