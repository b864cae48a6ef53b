/** Builds the care desk page into dist/desk and returns that folder. */
export function buildDesk(): Promise<string>;
