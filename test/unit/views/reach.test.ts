import type { KnownBlock } from '@slack/types';
import type { ExplainedIssue, Hop, ReachPathSummary, ReachQuestion } from '../../../src/reach/model';
import { interpretAnalysis } from '../../../src/reach/interpret';
import { evaluatePath } from '../../../src/sandbox/reach/evaluate';
import { SANDBOX_IDS as S, createSandboxWorld } from '../../../src/sandbox/world';
import { blockTextLength } from '../../../src/views/message';
import { REACH_ACTIONS, renderReachProgress } from '../../../src/views/reach';
import { decodeButtonValue, REACH_BUTTON } from '../../../src/views/button-value';
import { renderReachAnswer } from '../../helpers/views';
import { consoleUrl } from '../../../src/views/reach-console';
import { renderReachForgotten, renderReachList, renderReachUnwatched, renderReachWatchStored } from '../../../src/views/reach-manage';
import { LIMITS } from '../../../src/views/text';

const now = Date.UTC(2026, 10, 29, 9, 0, 0);
const question = (over: Partial<ReachQuestion> = {}): ReachQuestion => ({
  source: { input: 'web-1', kind: 'instance', id: S.web1, name: 'web-1' },
  destination: { input: 'db-1', kind: 'instance', id: S.db1, name: 'db-1' },
  protocol: 'tcp',
  port: 5432,
  accountName: 'prod',
  accountId: '111111111111',
  region: 'eu-west-1',
  ...over,
});
const cacheQuestion = question({ destination: { input: 'cache-1', kind: 'instance', id: S.cache1, name: 'cache-1' }, port: 6379 });

function outcomeOf(q: ReachQuestion, world = createSandboxWorld()) {
  const r = evaluatePath(world, { source: q.source.id as string, destination: q.destination.id, protocol: q.protocol, port: q.port }, q.region);
  return interpretAnalysis({ id: 'nia-00000000000000002', pathId: 'nip-00000000000000001', status: 'succeeded', pathFound: r.pathFound, forward: r.forward, returnPath: r.returnPath, explanations: r.explanations, alternatePathHints: [] }, q);
}
const base = { pathId: 'nip-00000000000000001', analysisId: 'nia-00000000000000002', checkedAt: now - 12_000 };

/** Every limit Slack enforces on what we send, checked directly. */
function expectWithinLimits(blocks: KnownBlock[]) {
  expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
  expect(blockTextLength(blocks)).toBeLessThanOrEqual(LIMITS.totalBlockText);
  for (const b of blocks as any[]) {
    if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    if (b.type === 'context') {
      expect(b.elements.length).toBeLessThanOrEqual(LIMITS.contextElements);
      for (const e of b.elements) expect(e.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    }
    if (b.block_id) expect(b.block_id.length).toBeLessThanOrEqual(LIMITS.id);
    if (b.type === 'actions') {
      for (const e of b.elements) {
        expect(e.action_id.length).toBeLessThanOrEqual(LIMITS.id);
        expect(e.value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
        expect(e.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
      }
    }
  }
}

describe('answers', () => {
  test('reachable: hops in order, names, Re-run and Watch with the path id, region and account', () => {
    const msg = renderReachAnswer({ ...base, kind: 'fresh', question: cacheQuestion, outcome: outcomeOf(cacheQuestion), durationMs: 9_500 }, now);
    expect(msg).toMatchSnapshot();
    const actions = msg.blocks.find((b) => b.type === 'actions') as any;
    const where = `${base.pathId} eu-west-1 prod`;
    expect(actions.elements.map((e: any) => [e.action_id, e.value])).toEqual([
      [REACH_ACTIONS.rerun, where],
      [REACH_ACTIONS.watch, where],
    ]);
    expect(decodeButtonValue(REACH_BUTTON, where)).toEqual({ pathId: base.pathId, region: 'eu-west-1', account: 'prod' });
    expect(decodeButtonValue(REACH_BUTTON, base.pathId)).toEqual({ pathId: base.pathId }); // buttons posted before regions were carried
    expect(JSON.stringify(msg.blocks)).toMatch(/instance `web-1`.*→ ENI.*→ SG `web-sg`.*→ instance `cache-1`/);
    expect(JSON.stringify(msg.blocks)).toContain('Open AWS CloudShell (eu-west-1)');
    expect(JSON.stringify(msg.blocks)).not.toContain('Asked by');
    expectWithinLimits(msg.blocks);
  });

  test('not reachable: the explanation, blocking component with a console link, and the fix', () => {
    const msg = renderReachAnswer({ ...base, kind: 'fresh', question: question(), outcome: outcomeOf(question()), durationMs: 9_500 }, now);
    expect(msg).toMatchSnapshot();
    const text = JSON.stringify(msg.blocks);
    expect(text).toContain(`add an inbound rule to \`${S.dbSg} (db-sg)\` allowing tcp/5432 from \`${S.webSg}\``);
    expect(text).toContain(`https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#SecurityGroup:groupId=${S.dbSg}`);
    expect(text).toContain('ENI_SG_RULES_MISMATCH');
    expect(text).toContain('aws ec2 describe-network-insights-analyses --region eu-west-1 --network-insights-analysis-ids nia-00000000000000002');
    expectWithinLimits(msg.blocks);
  });

  test('cached: its age with slackDate, and a Re-run button', () => {
    const msg = renderReachAnswer({ ...base, kind: 'cached', checkedAt: now - 3 * 60_000, question: question(), outcome: outcomeOf(question()) }, now);
    expect(msg).toMatchSnapshot();
    expect(JSON.stringify(msg.blocks)).toContain(`checked 3 min ago (<!date^${Math.floor((now - 180_000) / 1000)}^`);
    expect(msg.text).toContain('(cached)');
  });

  test('failed analysis: says failed, not "not reachable", with AWS’s message', () => {
    const msg = renderReachAnswer({ ...base, kind: 'failed', reason: 'analysis_failed', message: 'Insufficient permissions for tiros:CreateQuery <b>', durationMs: 20_000, question: question() }, now);
    expect(msg).toMatchSnapshot();
    const text = JSON.stringify(msg);
    expect(text).not.toMatch(/not reachable|cannot reach/);
    expect(text).toContain('tiros:CreateQuery &lt;b&gt;');
    expect((msg.blocks.find((b) => b.type === 'actions') as any).elements.map((e: any) => e.action_id)).toEqual([REACH_ACTIONS.rerun]);
  });

  test('timed-out analysis', () => {
    expect(renderReachAnswer({ ...base, kind: 'failed', reason: 'timeout', durationMs: 600_000, question: question() }, now)).toMatchSnapshot();
  });

  test('an IP destination and an unknown explanation code still render', () => {
    const q = question({ destination: { input: '10.0.2.20', kind: 'network-interface', id: S.db1Eni, ip: '10.0.2.20', owner: { id: S.db1, name: 'db-1' } } });
    const outcome = {
      reachable: false as const,
      hops: [],
      notes: ['Only the forward path was analysed; the return path was not.'],
      warning: 'Some resources could not be described',
      issues: [{ code: 'SHINY_NEW_CODE', group: 'unknown' as const, explanation: { code: 'SHINY_NEW_CODE', components: { component: { id: 'fw-123', name: 'edge' }, vpc: { id: 'vpc-1' } }, port: 8443 } }],
    };
    const msg = renderReachAnswer({ ...base, kind: 'fresh', question: q, outcome, durationMs: 1_000 }, now);
    expect(msg).toMatchSnapshot();
    expect(JSON.stringify(msg.blocks)).toContain('`SHINY_NEW_CODE`');
    expect(JSON.stringify(msg.blocks)).toContain('component: `fw-123 (edge)`');
  });

  test('progress: "Analyzing… 12 s"', () => {
    const msg = renderReachProgress({ question: question(), pathId: base.pathId, analysisId: base.analysisId, elapsedMs: 12_400 });
    expect(msg).toMatchSnapshot();
    expect(msg.text).toContain('Analyzing web-1 → db-1 on tcp/5432… 12 s');
  });
});

describe('limits and safety', () => {
  const hop = (i: number): Hop => ({ seq: i + 1, component: { id: `sg-${String(i).padStart(17, '0')}`, name: `a-rather-long-security-group-name-${i}` }, securityGroupRule: { direction: 'ingress', protocol: 'tcp', portRange: { from: 1, to: 65000 }, cidr: '10.0.0.0/8' } });
  const issue = (i: number): ExplainedIssue => ({
    code: 'ENI_SG_RULES_MISMATCH',
    group: 'blocked',
    meaning: 'A security group has no rule that allows this traffic.',
    blocking: { id: `sg-${String(i).padStart(17, '0')}`, name: `group-${i}` },
    fix: { kind: 'sg-rule', direction: 'inbound', group: { id: `sg-${i}`, name: `group-${i}` }, protocol: 'tcp', port: 5432, peer: 'sg-0web' },
    explanation: { code: 'ENI_SG_RULES_MISMATCH', direction: 'ingress', components: {}, securityGroups: [{ id: `sg-${i}` }, { id: `sg-x${i}` }], addresses: ['10.0.0.1', '10.0.0.2'] },
  });

  test('60 hops stay within Block Kit limits and keep both ends', () => {
    const hops = Array.from({ length: 60 }, (_, i) => hop(i));
    const msg = renderReachAnswer({ ...base, kind: 'fresh', question: question(), outcome: { reachable: true, hops, returnHops: [], notes: [] }, durationMs: 1 }, now);
    expectWithinLimits(msg.blocks);
    const text = JSON.stringify(msg.blocks);
    expect(text).toContain('a-rather-long-security-group-name-0');
    expect(text).toContain('a-rather-long-security-group-name-59');
    expect(text).toMatch(/more hops/);
  });

  test('40 explanations and 60 hops stay within limits, cut with "and N more"', () => {
    const hops = Array.from({ length: 60 }, (_, i) => hop(i));
    const issues = Array.from({ length: 40 }, (_, i) => issue(i));
    const msg = renderReachAnswer({ ...base, kind: 'fresh', question: question(), outcome: { reachable: false, hops, issues, notes: [] }, durationMs: 1 }, now);
    expectWithinLimits(msg.blocks);
    expect(JSON.stringify(msg.blocks)).toMatch(/…and \d+ more reasons/);
    expect(msg.blocks.at(-2)?.type).toBe('actions'); // the buttons survive the cut, right above "Run it yourself" (which the final render adds last)
  });

  test('hostile names are inert everywhere', () => {
    const hostile = ['<!channel>', '<@U123>', '<http://x|y>', 'a & b'];
    const q = question({
      source: { input: hostile[0], kind: 'instance', id: S.web1, name: hostile[0] },
      destination: { input: hostile[2], kind: 'instance', id: S.db1, name: hostile[1] },
    });
    const issues: ExplainedIssue[] = [
      { ...issue(1), blocking: { id: 'sg-1', name: hostile[2] }, fix: { kind: 'sg-rule', direction: 'inbound', group: { id: 'sg-1', name: hostile[3] }, protocol: 'tcp', port: 1, peer: hostile[0] } },
      { code: '<!here>', group: 'unknown', explanation: { code: '<!here>', components: { '<@U1>': { id: '<http://evil|ok>', name: hostile[1] } }, state: hostile[3] } },
      { code: 'X', group: 'blocked', meaning: 'm', fix: { kind: 'advice', text: hostile[0] }, explanation: { code: 'X', components: {} } },
    ];
    const hops = [{ seq: 1, component: { id: S.web1, name: hostile[3] } }];
    const messages = [
      renderReachAnswer({ ...base, kind: 'fresh', question: q, outcome: { reachable: false, hops, issues, notes: [hostile[1]], warning: hostile[2] }, durationMs: 1 }, now),
      renderReachAnswer({ ...base, kind: 'failed', reason: 'analysis_failed', message: hostile.join(' '), question: q, durationMs: 1 }, now),
      renderReachProgress({ question: q, pathId: base.pathId, analysisId: base.analysisId, elapsedMs: 1 }),
      renderReachList([{ pathId: base.pathId, question: q, createdAt: now, lastUsedAt: now, watchedHere: true, watchCount: 1, last: { checkedAt: now, result: 'not_reachable', codes: ['<!here>'] } }], now, { region: 'us-east-1', accountName: '<!channel>' }),
      renderReachWatchStored({ pathId: base.pathId, channelId: 'C1', question: q, schedule: { cron: '<!channel>' }, expectedPerMonth: 3, nextRunAt: now, created: true, reportId: 'rep-1' }),
      renderReachForgotten({ pathId: base.pathId, question: q, analysesDeleted: 1, watchesRemoved: 0 }),
      renderReachUnwatched({ pathId: base.pathId, question: q }),
    ];
    for (const m of messages) {
      const all = JSON.stringify(m);
      for (const bad of ['<!channel>', '<!here>', '<@U123>', '<@U1>', '<http://x|y>', '<http://evil|ok>']) expect(all).not.toContain(bad);
      // Every & is one we wrote as an entity; our own console/CloudShell links are the only <…> left.
      expect(all).not.toMatch(/&(?!amp;|lt;|gt;)/);
      const tokens = all.match(/<[^>]*>/g) ?? [];
      for (const t of tokens) expect(t).toMatch(/^<(https:\/\/[a-z0-9.-]+\.console\.aws\.amazon\.com\/|!date\^)/);
    }
  });
});

describe('management views', () => {
  const summary = (over: Partial<ReachPathSummary>): ReachPathSummary => ({ pathId: base.pathId, question: question(), createdAt: now - 86_400_000, lastUsedAt: now - 60_000, watchedHere: false, watchCount: 0, ...over });

  test('list: empty, and several with results and watch flags', () => {
    expect(renderReachList([], now, { region: 'eu-west-1', accountName: 'prod' })).toMatchSnapshot();
    const msg = renderReachList(
      [
        summary({ last: { checkedAt: now - 120_000, result: 'not_reachable', codes: ['ENI_SG_RULES_MISMATCH'] }, watchedHere: true, watchCount: 1 }),
        summary({ pathId: 'nip-00000000000000003', question: cacheQuestion, last: { checkedAt: now - 7_200_000, result: 'reachable', codes: [] }, watchCount: 2 }),
        summary({ pathId: 'nip-00000000000000004', last: { checkedAt: now - 30_000, result: 'failed', codes: [] } }),
        summary({ pathId: 'nip-00000000000000005' }),
      ],
      now,
      { region: 'eu-west-1', accountName: 'prod' },
    );
    expect(msg).toMatchSnapshot();
  });

  test('list of 300 paths stays within limits', () => {
    const many = Array.from({ length: 300 }, (_, i) => summary({ pathId: `nip-${String(i).padStart(17, '0')}` }));
    const msg = renderReachList(many, now, { region: 'eu-west-1', accountName: 'prod' });
    expectWithinLimits(msg.blocks);
    expect(JSON.stringify(msg.blocks)).toMatch(/…and \d+ more paths/);
  });

  test('watch stored states the monthly analysis count', () => {
    const msg = renderReachWatchStored({ pathId: base.pathId, channelId: 'C1', question: question(), schedule: { intervalMs: 900_000 }, expectedPerMonth: 2_880, nextRunAt: now + 900_000, created: true, reportId: 'rep-1' });
    expect(msg).toMatchSnapshot();
    expect(JSON.stringify(msg.blocks)).toContain('2,880 analyses a month');
    expect(renderReachWatchStored({ pathId: base.pathId, channelId: 'C1', question: question(), schedule: { cron: '0 9 * * 1-5' }, expectedPerMonth: 22, nextRunAt: now, created: false, reportId: 'rep-1' })).toMatchSnapshot();
  });

  test('forget and unwatch confirmations', () => {
    expect(renderReachForgotten({ pathId: base.pathId, question: question(), analysesDeleted: 2, watchesRemoved: 1 })).toMatchSnapshot();
    expect(renderReachUnwatched({ pathId: base.pathId, question: question() })).toMatchSnapshot();
  });
});

describe('console links', () => {
  test('per partition and kind', () => {
    expect(consoleUrl('acl-0abc', 'us-east-1')).toBe('https://us-east-1.console.aws.amazon.com/vpcconsole/home?region=us-east-1#NetworkAclDetails:networkAclId=acl-0abc');
    expect(consoleUrl('i-0abc', 'us-gov-west-1')).toBe('https://console.amazonaws-us-gov.com/ec2/home?region=us-gov-west-1#InstanceDetails:instanceId=i-0abc');
    expect(consoleUrl('tgw-attach-0abc', 'cn-north-1')).toMatch(/^https:\/\/console\.amazonaws\.cn\/vpcconsole\/.*TransitGatewayAttachmentDetails/);
    expect(consoleUrl('weird-0abc', 'us-east-1')).toBeUndefined();
    expect(consoleUrl('sg-<x>', 'us-east-1')).toBeUndefined();
  });
});
