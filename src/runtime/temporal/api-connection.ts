// The API's connection to Temporal. Two changes from the client's defaults,
// both so that an outage is answered quickly and ends quickly:
//  - its retries of a failed call stop at the call's deadline. The default
//    retry interceptor sleeps up to 5 s before the next attempt whatever the
//    deadline, so with Temporal down a capture that must answer within 5 s
//    answered after ~6 s (measured); now the last error is answered at once
//    (503, src/api/http/problem.ts).
//  - gRPC's reconnect backoff is capped at 5 s (default 120 s), so the API
//    notices Temporal is back within seconds of a long outage.
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions } from '@temporalio/client';

type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number];

export function connectApiClient(address: string): Promise<Connection> {
  return Connection.connect({
    address,
    interceptors: [retryWithinDeadline()],
    channelArgs: { 'grpc.max_reconnect_backoff_ms': 5_000 },
  });
}

/** The default retries (which codes, what backoff), but no retry that would start after the call's deadline. */
export function retryWithinDeadline(): Interceptor {
  const defaults = defaultGrpcRetryOptions();
  return (options, nextCall) => {
    const deadline = options.deadline === undefined ? Infinity : new Date(options.deadline).getTime();
    let delay = 0;
    return makeGrpcRetryInterceptor({
      retryableDecider: (attempt, status) => {
        if (!defaults.retryableDecider(attempt, status)) return false;
        delay = defaults.delayFunction(attempt, status);
        return Date.now() + delay < deadline;
      },
      delayFunction: () => delay,
    })(options, nextCall);
  };
}
