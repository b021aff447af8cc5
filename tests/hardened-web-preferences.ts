/**
 * Web preferences every window or view must have, with their only allowed values: the sources, the policy
 * function and the built main process are each held to this one list.
 */
export const HARDENED_WEB_PREFERENCES: Readonly<Record<string, boolean>> = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
}
