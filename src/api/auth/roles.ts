// People's roles, per team, from the least to the most a token may do:
// viewer reads; agent also approves and rejects; lead also reassigns; admin
// can do all a lead can (and is the role of the operator's token). Plain data
// and pure functions: the CLI uses them without loading the API.

export const ROLES = ['viewer', 'agent', 'lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Every team, in the `teams` of a user. */
export const ALL_TEAMS = '*';

/** The roles that decide escalations (approve, reject); reassigning needs lead or admin. */
const DECIDES: ReadonlySet<Role> = new Set(['agent', 'lead', 'admin']);
const REASSIGNS: ReadonlySet<Role> = new Set(['lead', 'admin']);

/** The user's role in `team`: the higher of their role in it and their `*` role, or null. */
export function roleIn(user: { name?: string; teams: Record<string, Role> }, team: string): Role | null {
  // Own keys only: a team named `constructor` must not find Object's.
  const roles = [team, ALL_TEAMS].flatMap((t) => (Object.hasOwn(user.teams, t) ? [user.teams[t]!] : []));
  return highest(roles);
}

/** The user's highest role in any team (what the route table's `decide` checks). */
export function highestRole(user: { name?: string; teams: Record<string, Role> }): Role | null {
  return highest(Object.values(user.teams));
}

export function mayDecide(role: Role | null): boolean {
  return role !== null && DECIDES.has(role);
}

export function mayReassign(role: Role | null): boolean {
  return role !== null && REASSIGNS.has(role);
}

function highest(roles: readonly Role[]): Role | null {
  let best: Role | null = null;
  for (const role of roles) if (ROLES.includes(role) && (best === null || ROLES.indexOf(role) > ROLES.indexOf(best))) best = role;
  return best;
}
