import type { StartExperimentCommand } from '@aws-sdk/client-fis';

export const ACTIONS_MODE_MIDDLEWARE = 'lookoutFisActionsMode';

/**
 * client-fis 3.523.0 predates `experimentOptions.actionsMode` and its serializer silently drops the field
 * (aws-apis.md §0), which would turn a dry run into a real run. This adds it to the serialized JSON body of this one
 * command, right after the serializer and before content-length and signing. The caller must still check the
 * answer (and GetExperiment) for `actionsMode: skip-all` before calling anything a dry run.
 */
export function sendActionsMode(command: StartExperimentCommand, mode: 'skip-all' | 'run-all'): void {
  command.middlewareStack.addRelativeTo(
    (next: any) => async (args: any) => {
      const request = args.request;
      if (!request || typeof request.body !== 'string') {
        throw new Error('FIS StartExperiment request body is not JSON text; refusing to send without actionsMode');
      }
      const body = JSON.parse(request.body);
      body.experimentOptions = { ...body.experimentOptions, actionsMode: mode };
      request.body = JSON.stringify(body);
      // A length computed from the old body would be wrong; let the content-length step compute it again.
      for (const h of Object.keys(request.headers ?? {})) if (h.toLowerCase() === 'content-length') delete request.headers[h];
      return next(args);
    },
    { relation: 'after', toMiddleware: 'serializerMiddleware', name: ACTIONS_MODE_MIDDLEWARE, override: true },
  );
}
