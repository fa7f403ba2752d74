// Result value parsing: per-OID parsers with exact defaults, overridable per connection.
export * from './parsers.js';
