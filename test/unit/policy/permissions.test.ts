import type { Verb } from '../../../src/config/types';
import { allowedVerbs, authorize, channelPolicy, expandGrants, isAdmin, isApprover } from '../../../src/policy/permissions';
import { PRODUCT_EXAMPLE } from '../config/example';
import { configFrom } from './config';

const ALL_BUT_ADMIN: Verb[] = ['reach', 'reach:watch', 'chaos:read', 'chaos:run', 'chaos:stop', 'metrics', 'grafana', 'report:read', 'report:write'];
const sorted = (s: Set<Verb>) => [...s].sort();

describe('expandGrants (product.md §8 verbs)', () => {
  it.each<[string[], Verb[]]>([
    [[], []],
    [['reach'], ['reach', 'reach:watch']],
    [['reach:watch'], ['reach:watch']],
    [['report'], ['report:read', 'report:write']],
    [['report:read'], ['report:read']],
    [['chaos'], ['chaos:read', 'chaos:run', 'chaos:stop']],
    [['chaos:read'], ['chaos:read', 'chaos:stop']],
    [['chaos:run'], ['chaos:run', 'chaos:stop']],
    [['chaos:stop'], ['chaos:stop']],
    [['metrics', 'grafana'], ['grafana', 'metrics']],
    [['*'], ALL_BUT_ADMIN],
    [['*', 'admin'], ALL_BUT_ADMIN],
    [['admin'], []],
    [['rea', 'chaos:', 'bogus'], []],
  ])('%j → %j', (allow, verbs) => {
    expect(sorted(expandGrants(allow))).toEqual([...verbs].sort());
  });
});

describe('channelPolicy', () => {
  const cfg = configFrom(PRODUCT_EXAMPLE);

  it('a listed channel: its own keys', () => {
    const p = channelPolicy(cfg, 'C0123ABCDEF');
    expect({ ...p, verbs: sorted(p.verbs) }).toEqual({
      configured: true,
      verbs: [...ALL_BUT_ADMIN].sort(),
      account: 'prod',
      accounts: ['prod', 'staging'],
      approvers: ['S0SRELEADS', 'U0ALICE'],
      minApprovals: 2,
    });
  });

  it('an unlisted channel gets default', () => {
    const p = channelPolicy(cfg, 'C0OTHER');
    expect({ ...p, verbs: sorted(p.verbs) }).toEqual({
      configured: true,
      verbs: ['chaos:read', 'chaos:stop', 'grafana', 'metrics', 'reach', 'reach:watch', 'report:read', 'report:write'],
      account: 'staging',
      accounts: ['staging'],
      approvers: [],
      minApprovals: 1,
    });
  });

  it('a listed channel’s keys override default’s one by one', () => {
    const c = configFrom(`
accounts: { a: {}, b: {} }
channels:
  default: { account: a, allow: [metrics], approvers: [U1, U2], minApprovals: 2 }
  C1: { account: b, allow: [reach] }
  C2: { approvers: [U3] , minApprovals: 1 }
`);
    expect(channelPolicy(c, 'C1')).toEqual({ configured: true, verbs: new Set(['reach', 'reach:watch']), account: 'b', accounts: ['b'], approvers: ['U1', 'U2'], minApprovals: 2 });
    expect(channelPolicy(c, 'C2')).toEqual({ configured: true, verbs: new Set(['metrics']), account: 'a', accounts: ['a'], approvers: ['U3'], minApprovals: 1 });
  });

  it('with a configuration but no default, unlisted channels may run nothing', () => {
    const c = configFrom('channels: { C1: { allow: ["*"] } }');
    expect(channelPolicy(c, 'C2')).toMatchObject({ configured: false, verbs: new Set() });
  });

  it('with no configuration at all, everything but chaos:run and admin', () => {
    const p = channelPolicy(configFrom(null), 'C1');
    expect(p.configured).toBe(false);
    expect(sorted(p.verbs)).toEqual(ALL_BUT_ADMIN.filter((v) => v !== 'chaos:run').sort());
  });
});

describe('authorize', () => {
  const example = configFrom(PRODUCT_EXAMPLE);
  const alice = { channelId: 'C0123ABCDEF', userId: 'U0ALICE', userGroupIds: [] };
  const bob = { channelId: 'C0123ABCDEF', userId: 'U0BOB', userGroupIds: [] };

  it.each<[string, string, Verb, boolean]>([
    ['listed channel with *', 'C0123ABCDEF', 'chaos:run', true],
    ['listed channel with *', 'C0123ABCDEF', 'report:write', true],
    ['default: reach includes reach:watch', 'C0OTHER', 'reach:watch', true],
    ['default: report includes report:write', 'C0OTHER', 'report:write', true],
    ['default: chaos:read implies chaos:stop', 'C0OTHER', 'chaos:stop', true],
    ['default: no chaos:run', 'C0OTHER', 'chaos:run', false],
    ['* does not include admin', 'C0123ABCDEF', 'admin', false],
  ])('%s: %s %s → %s', (_name, channelId, verb, allowed) => {
    expect(authorize(example, { ...bob, channelId }, verb).allowed).toBe(allowed);
  });

  it('admin by user id, and by membership of a listed user group', () => {
    expect(authorize(example, alice, 'admin')).toEqual({ allowed: true });
    expect(authorize(example, { ...bob, userGroupIds: ['S0OTHER', 'S0PLATFORM'] }, 'admin')).toEqual({ allowed: true });
    expect(authorize(example, { ...bob, userGroupIds: ['S0OTHER'] }, 'admin').allowed).toBe(false);
    expect(isAdmin(example, 'U0BOB', ['S0PLATFORM'])).toBe(true);
  });

  it('admin is everywhere for admins, even in channels that allow nothing', () => {
    const c = configFrom('admins: [U0ALICE]\nchannels: { C1: { allow: [] } }');
    expect(authorize(c, { ...alice, channelId: 'C9' }, 'admin')).toEqual({ allowed: true });
    expect(authorize(c, { ...alice, channelId: 'C9' }, 'metrics').allowed).toBe(false);
  });

  it('refuses a missing verb saying which verb and who can change it', () => {
    const result = authorize(example, { ...bob, channelId: 'C0OTHER' }, 'chaos:run');
    expect(result.allowed).toBe(false);
    const message = !result.allowed ? result.message : '';
    expect(message).toContain('request chaos experiments');
    expect(message).toContain('`chaos:run` isn’t allowed here');
    expect(message).toContain('<!subteam^S0PLATFORM>');
    expect(message).toContain('<@U0ALICE>');
    expect(message).toContain('`channels.C0OTHER`');
    expect(message).toContain('lookout.yml');
  });

  it('refuses chaos:run with no configuration, explaining how to configure approvers', () => {
    const result = authorize(configFrom(null), { ...bob, channelId: 'C0NEW' }, 'chaos:run');
    expect(result.allowed).toBe(false);
    const message = !result.allowed ? result.message : '';
    expect(message).toContain('lookout.yml');
    expect(message).toContain('LOOKOUT_CONFIG');
    expect(message).toContain('approvers:');
    expect(message).toContain('C0NEW:');
    // The snippet in the message is itself a valid configuration that keeps every other channel as it was.
    const snippet = configFrom(message.split('```')[1]);
    expect(authorize(snippet, { ...bob, channelId: 'C0NEW' }, 'chaos:run')).toEqual({ allowed: true });
    const elsewhere = allowedVerbs(snippet, { ...bob, channelId: 'C0ELSE' });
    expect(sorted(elsewhere)).toEqual(sorted(allowedVerbs(configFrom(null), { ...bob, channelId: 'C0ELSE' })));
  });

  it('with no configuration everything else is allowed, admin is not', () => {
    const none = configFrom(null);
    expect(authorize(none, bob, 'reach')).toEqual({ allowed: true });
    expect(authorize(none, bob, 'chaos:stop')).toEqual({ allowed: true });
    const admin = authorize(none, alice, 'admin');
    expect(admin.allowed).toBe(false);
    expect(!admin.allowed && admin.message).toContain('no Lookout admins are configured');
  });

  it('an unconfigured channel (no entry, no default) says how to set it up', () => {
    const c = configFrom('channels: { C1: { allow: ["*"] } }');
    const result = authorize(c, { ...bob, channelId: 'C2' }, 'metrics');
    expect(!result.allowed && result.message).toContain('no entry for it and no `channels.default`');
  });

  it('chaos:run allowed but nobody could approve is refused, pointing at approvers', () => {
    const c = configFrom('channels: { C1: { allow: ["*"] } }');
    const result = authorize(c, { ...bob, channelId: 'C1' }, 'chaos:run');
    expect(!result.allowed && result.message).toContain('no approvers are configured');
    expect(authorize(c, { ...bob, channelId: 'C1' }, 'chaos:stop')).toEqual({ allowed: true });
  });

  it('escapes a hostile channel id in the message', () => {
    const c = configFrom('channels: { C1: { allow: [] } }');
    const result = authorize(c, { ...bob, channelId: 'C<!channel>' }, 'metrics');
    expect(!result.allowed && result.message).not.toContain('<!channel>');
  });
});

describe('allowedVerbs agrees with authorize', () => {
  it.each([
    ['the example, listed channel, admin', PRODUCT_EXAMPLE, { channelId: 'C0123ABCDEF', userId: 'U0ALICE', userGroupIds: [] }],
    ['the example, default channel, group admin', PRODUCT_EXAMPLE, { channelId: 'C0X', userId: 'U0B', userGroupIds: ['S0PLATFORM'] }],
    ['no configuration', null, { channelId: 'C1', userId: 'U1', userGroupIds: [] }],
    ['no approvers', 'channels: { default: { allow: ["*"] } }', { channelId: 'C1', userId: 'U1', userGroupIds: [] }],
    ['approvers, chaos only', 'channels: { C1: { allow: [chaos], approvers: [U9] } }', { channelId: 'C1', userId: 'U1', userGroupIds: [] }],
    ['a channel with no entry and no default', 'channels: { C1: { allow: ["*"] } }', { channelId: 'C2', userId: 'U1', userGroupIds: [] }],
    ['an empty allow list', 'channels: { default: { allow: [] } }', { channelId: 'C1', userId: 'U1', userGroupIds: [] }],
  ])('%s', (_name, yaml, who) => {
    const cfg = configFrom(yaml);
    const verbs = allowedVerbs(cfg, who);
    for (const v of [...ALL_BUT_ADMIN, 'admin'] as Verb[]) expect([v, verbs.has(v)]).toEqual([v, authorize(cfg, who, v).allowed]);
  });

  it('lists what the example grants', () => {
    const cfg = configFrom(PRODUCT_EXAMPLE);
    expect(sorted(allowedVerbs(cfg, { channelId: 'C0123ABCDEF', userId: 'U0ALICE', userGroupIds: [] }))).toEqual([...ALL_BUT_ADMIN, 'admin'].sort());
    expect(allowedVerbs(configFrom('channels: { default: { allow: ["*"] } }'), { channelId: 'C1', userId: 'U1', userGroupIds: [] }).has('chaos:run')).toBe(false);
  });
});

describe('isApprover', () => {
  const cfg = configFrom(PRODUCT_EXAMPLE);
  it.each<[string, string, string[], boolean]>([
    ['C0123ABCDEF', 'U0ALICE', [], true],
    ['C0123ABCDEF', 'U0BOB', ['S0SRELEADS'], true],
    ['C0123ABCDEF', 'U0BOB', ['S0PLATFORM'], false],
    ['C0OTHER', 'U0ALICE', [], false],
  ])('%s %s %j → %s', (channelId, userId, groups, expected) => {
    expect(isApprover(cfg, channelId, userId, groups)).toBe(expected);
  });

  it('nobody approves without a configuration', () => {
    expect(isApprover(configFrom(null), 'C1', 'U1', ['S1'])).toBe(false);
  });
});
