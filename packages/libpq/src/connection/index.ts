// Connections: establishment (hosts, TLS, auth), the session object, prepared statements, cancel.
export * from './connect.js';
export * from './connection.js';
export * from './prepared.js';
export * from './encrypt-password.js';
