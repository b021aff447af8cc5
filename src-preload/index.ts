import { contextBridge } from 'electron'

contextBridge.exposeInMainWorld('tagsmith', {})
