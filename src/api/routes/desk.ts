// The care desk's live routes: the event stream (desk/events.ts does the
// polling and the diffing) and presence.
import type { User } from '../auth';
import type { DeskEvents } from '../desk/events';
import type { RouteHandlers } from '../http/mount';
import { checkInteractionId } from './ids';

/** Every 15 s, so proxies and browsers keep an idle stream open. */
export const PING_MS = 15_000;
/** How long a browser waits before it reconnects a dropped stream. */
export const RETRY_MS = 3_000;

export function deskHandlers(hub: DeskEvents): Pick<RouteHandlers, 'events' | 'setPresence'> {
  return {
    events: (req, res) => {
      const user: User = res.locals.user;
      res.status(200);
      res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      // A buffering proxy (nginx) would hold the events back.
      res.setHeader('X-Accel-Buffering', 'no');
      res.flushHeaders();
      res.write(`retry: ${RETRY_MS}\n\n`);
      const unsubscribe = hub.subscribe({
        user,
        send: (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
        end: () => res.end(),
      });
      const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
      res.on('close', () => {
        clearInterval(ping);
        unsubscribe();
      });
    },

    setPresence: (req, res, { body }) => {
      const id = checkInteractionId(req.params.id);
      const { state } = body();
      hub.setPresence(id, res.locals.user as User, state);
      res.status(204).end();
    },
  };
}
