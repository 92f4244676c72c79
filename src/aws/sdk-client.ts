import { DEFAULT_OUTBOUND, type OutboundPolicy } from '../outbound';

/**
 * The request-handler part of every SDK client's configuration (src/outbound.ts has the numbers). With
 * @smithy/node-http-handler 4.x `requestTimeout` alone only logs a warning: `throwOnRequestTimeout` makes it end the
 * call, and `socketTimeout` also ends a connection that goes silent. The FIS client's older handler (2.5.0) reads
 * `requestTimeout` as its socket timeout and ignores the rest, which bounds a hung call there too.
 */
export function sdkTimeouts(policy: OutboundPolicy = DEFAULT_OUTBOUND) {
  return {
    requestHandler: {
      connectionTimeout: policy.aws.connectMs,
      requestTimeout: policy.aws.requestMs,
      socketTimeout: policy.aws.requestMs,
      throwOnRequestTimeout: true,
    },
  };
}
