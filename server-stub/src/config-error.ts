// One error for a configuration the server must not start with: main.ts prints its message as one line and exits.
export class ConfigError extends Error {}
