// Hardening applied to every session and every web contents the app creates.
import { app, type Session, type WebContents } from 'electron'
import { respondWithCsp } from './policy.ts'

export function hardenSession(session: Session, devServerUrl?: string): void {
  session.webRequest.onHeadersReceived((details, callback) => respondWithCsp(details, callback, devServerUrl))
  // Camera, microphone, notifications, geolocation, clipboard reads...: the app needs none of them.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
  session.on('will-download', (event) => event.preventDefault())
}

/** No navigation away from the UI, no new windows, no <webview>. */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

export function installHardening(): void {
  // Every renderer runs sandboxed, whatever a window's own options say.
  app.enableSandbox()
  app.on('web-contents-created', (_event, contents) => hardenContents(contents))
}
