// Authentication and access: the tokens file (tokens-file.ts), roles per team
// (roles.ts), the gate the route table puts in front of each route
// (access.ts), the failed-authentication limit, last-used times, and the
// token commands' file edits (token-admin.ts, used by the CLI only).
export {
  accessControl,
  decisionRole,
  ANONYMOUS_CONNECTOR,
  type Access,
  type AccessControl,
  type AccessLocals,
  type AccessOptions,
} from './access';
export { AUTH_FAILURE_WINDOW_MS, DEFAULT_AUTH_FAILURE_LIMIT, FailedAuthLimit } from './failed-auth-limit';
export { LastUsedLog, lastUsedFileFor, readLastUsed } from './last-used';
export { isLoopbackHost } from './loopback';
export { ALL_TEAMS, ROLES, roleIn, highestRole, mayDecide, mayReassign, type Role } from './roles';
export {
  ensureTokensFile,
  hashToken,
  newToken,
  TokensFileError,
  TokenStore,
  TOKENS_FILE_NAME,
  type Connector,
  type Identity,
  type IngestEntry,
  type TokenInfo,
  type TokensReloadEvent,
  type User,
  type UserEntry,
} from './tokens-file';
