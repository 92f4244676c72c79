import { FisClient, StartExperimentCommand } from '@aws-sdk/client-fis';
import { createFisExperiments } from '../../../src/aws/fis';

/** A FisClient whose HTTP handler records each request and answers from `reply`: what really goes on the wire. */
function wireClient(reply: (req: { method: string; path: string; body: any }) => unknown) {
  const sent: { method: string; path: string; headers: Record<string, string>; body: any }[] = [];
  const client = new FisClient({
    region: 'us-east-1',
    requestHandler: {
      handle: async (request: any) => {
        const body = typeof request.body === 'string' ? JSON.parse(request.body) : undefined;
        sent.push({ method: request.method, path: request.path, headers: request.headers, body });
        const payload = JSON.stringify(reply({ method: request.method, path: request.path, body }));
        return {
          response: { statusCode: 200, headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode(payload) },
        };
      },
    } as any,
  });
  return { client, sent };
}

const experiment = (actionsMode?: string) => ({
  experiment: {
    id: 'EXP1',
    experimentTemplateId: 'EXT1',
    state: { status: 'initiating' },
    creationTime: 1_700_000_000,
    ...(actionsMode ? { experimentOptions: { actionsMode } } : {}),
  },
});
const where = { accountName: 'prod', accountId: '111111111111', region: 'us-east-1' };

describe('FIS dry run on the wire (client-fis 3.523.0)', () => {
  it('the trap this guards against: the plain 3.523.0 serializer drops experimentOptions', async () => {
    const { client, sent } = wireClient(() => experiment());
    await client.send(new StartExperimentCommand({ clientToken: 't', experimentTemplateId: 'EXT1', experimentOptions: { actionsMode: 'skip-all' } } as any));
    expect(sent[0].body).toEqual({ clientToken: 't', experimentTemplateId: 'EXT1' });
  });

  it('sends experimentOptions.actionsMode=skip-all in the signed JSON body with a matching content-length', async () => {
    const { client, sent } = wireClient(() => experiment('skip-all'));
    const exp = await createFisExperiments(client, where).start({ templateId: 'EXT1', clientToken: 'tok-1', tags: { a: 'b' }, actionsMode: 'skip-all' });
    expect(exp.actionsMode).toBe('skip-all');
    expect(sent).toHaveLength(1);
    expect(sent[0].method).toBe('POST');
    expect(sent[0].path).toBe('/experiments');
    expect(sent[0].body).toEqual({ clientToken: 'tok-1', experimentTemplateId: 'EXT1', tags: { a: 'b' }, experimentOptions: { actionsMode: 'skip-all' } });
    const raw = JSON.stringify(sent[0].body);
    expect(Number(sent[0].headers['content-length'])).toBe(Buffer.byteLength(raw));
    expect(sent[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 .*SignedHeaders=.*content-length/);
  });

  it('sends no experimentOptions on a real run', async () => {
    const { client, sent } = wireClient(() => experiment());
    await createFisExperiments(client, where).start({ templateId: 'EXT1', clientToken: 'tok-2', tags: {} });
    expect(sent[0].body).toEqual({ clientToken: 'tok-2', experimentTemplateId: 'EXT1', tags: {} });
  });

  it('stops at once and refuses when FIS does not confirm skip-all', async () => {
    const { client, sent } = wireClient((req) => (req.method === 'DELETE' ? { experiment: { id: 'EXP1', state: { status: 'stopping' } } } : experiment()));
    await expect(
      createFisExperiments(client, where).start({ templateId: 'EXT1', clientToken: 'tok-3', tags: {}, actionsMode: 'skip-all' }),
    ).rejects.toMatchObject({ code: 'upstream', message: expect.stringContaining('was stopped at once') });
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /experiments', 'DELETE /experiments/EXP1']);
  });
});
