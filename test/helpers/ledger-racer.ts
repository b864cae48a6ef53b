// A child process for the cross-host ledger test: opens its own pool on the
// database at argv[2], says it is ready (`<argv[3]>.<pid>.ready`), waits for
// the start file argv[3] to appear (so two racers start together), publishes the replies with keys argv[4..] through
// the outbox channel, and prints one JSON line: how many it published and how
// many it found already published.
import fs from 'node:fs';
import { OutboxChannel } from '../../src/channels/outbox';
import { openDatabase } from '../../src/store/database';
import { pgLedgers } from '../../src/store/pg-ledger';

const [url, startFile, ...keys] = process.argv.slice(2);
const db = await openDatabase(url!, { max: 4 });
const outbox = new OutboxChannel(pgLedgers(db.pool));
fs.writeFileSync(`${startFile}.${process.pid}.ready`, '');
while (!fs.existsSync(startFile!)) await new Promise((r) => setTimeout(r, 5));
const results = await Promise.all(
  keys.map((key) =>
    outbox.publish({
      interactionId: `i:${key}`,
      postId: key,
      channel: 'twitter',
      inReplyTo: key,
      text: `from ${process.pid}`,
      idempotencyKey: key,
    }),
  ),
);
await db.close();
process.stdout.write(
  `${JSON.stringify({ pid: process.pid, published: results.filter((r) => !r.duplicate).length, duplicates: results.filter((r) => r.duplicate).length })}\n`,
);
