// A Server-Sent Events client for tests: reads a real stream over HTTP and
// keeps every event, so a test can wait for the one it expects.
export interface SseEvent {
  event: string;
  data: any;
}

export interface SseStream {
  status: number;
  events: SseEvent[];
  /** Comment lines (`: ping`) and retry hints seen. */
  comments: string[];
  retry: number | null;
  /** Waits for the first event (already seen or arriving) that `match` accepts. */
  next(match: (e: SseEvent) => boolean, timeoutMs?: number, what?: string): Promise<SseEvent>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const stream: SseStream = {
    status: res.status,
    events: [],
    comments: [],
    retry: null,
    next: async (match, timeoutMs = 20_000, what = 'event') => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = stream.events.find(match);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}; saw ${JSON.stringify(stream.events.map((e) => e.event))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => abort.abort(),
  };
  if (!res.ok || !res.body) return stream;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) stream.comments.push(line.slice(1).trim());
            else if (line.startsWith('retry:')) stream.retry = Number(line.slice(6));
            else if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trim());
          }
          if (data.length) stream.events.push({ event, data: JSON.parse(data.join('\n')) });
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return stream;
}
