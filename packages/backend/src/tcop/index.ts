// tcop: the traffic cop — session start and the protocol loop.
export { warmUpEngine } from './engine.js';
export { runSession, type SessionStart } from './session.js';
