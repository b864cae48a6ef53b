import fs from 'node:fs';
import path from 'node:path';

/** The JSON lines of `<dataDir>/<name>`, or [] when the file does not exist yet. */
export function jsonLines(dataDir: string, name: 'outbox.jsonl' | 'notifications.jsonl'): Array<Record<string, any>> {
  const file = path.join(dataDir, name);
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);
}
