// The run a user pinned in a project, kept in the browser's localStorage under the project's file path:
// projects have no settings request, and a pin is one person's choice of view, not part of the data.

const PREFIX = 'tagsmith.pinnedRun:'

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    // Storage may be switched off (privacy settings); the pin then lasts until the page closes.
    return null
  }
}

/** The run pinned for a project, or null. */
export function readPin(projectFile: string): number | null {
  const raw = storage()?.getItem(PREFIX + projectFile) ?? null
  const id = raw === null ? NaN : Number(raw)
  return Number.isSafeInteger(id) && id > 0 ? id : null
}

/** Pins a run for a project (null: unpins). */
export function writePin(projectFile: string, runId: number | null): void {
  const s = storage()
  if (s === null) return
  if (runId === null) s.removeItem(PREFIX + projectFile)
  else s.setItem(PREFIX + projectFile, String(runId))
}
