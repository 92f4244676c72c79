import { ManualClock } from '../../helpers/manual-clock';
import type { Analysis, Explanation, ReachQuestion } from '../../../src/reach/model';
import { ADDITIONAL_DETAILS, EXPLANATIONS, describeExplanation } from '../../../src/reach/explanations';
import { interpretAnalysis } from '../../../src/reach/interpret';
import { closestNames, editDistance } from '../../../src/text';
import { pollAnalysis } from '../../../src/reach/poll';

/** aws-apis.md §1.8, groups A and B (table rows) and C (filter codes), copied as the spec. */
const GROUP_AB = ['BAD_STATE', 'BAD_STATE_ATTACHMENT', 'BAD_STATE_ROUTE', 'BAD_STATE_VPN', 'CANNOT_ROUTE', 'ELB_ACL_RESTRICTION', 'ELB_INSTALLED_AZ_RESTRICTION', 'ELB_LISTENER_PORT_RESTRICTION', 'ELB_LISTENERS_MISMATCH', 'ELB_NOT_CROSSZONE', 'ELBV2_LISTENER_HAS_NO_TG', 'ELBV2_LISTENER_PORT_RESTRICTION', 'ELBV2_LISTENER_REQUIRES_TG_ACCEPT', 'ELBV2_LISTENERS_MISMATCH', 'ELBV2_NO_TARGETS_IN_AZ', 'ELBV2_SOURCE_ADDRESS_PRESERVATION', 'ENI_ADDRESS_RESTRICTION', 'ENI_SG_RULES_MISMATCH', 'ENI_SOURCE_DEST_CHECK_RESTRICTION', 'FIREWALL_RULES_RESTRICTION', 'GATEWAY_REJECTS_SPOOFED_TRAFFIC', 'GWLB_DESTINATION_PORT_RESTRICTION', 'GWLB_PROTOCOL_RESTRICTION', 'HIGHER_PRIORITY_ROUTE', 'IGW_DESTINATION_ADDRESS_IN_VPC_CIDRS', 'IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS', 'IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS', 'IGW_NAT_REFLECTION', 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS', 'IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS', 'IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS', 'IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS', 'INGRESS_RTB_NO_PUBLIC_IP', 'INGRESS_RTB_TRAFFIC_REDIRECTION', 'MORE_SPECIFIC_ROUTE', 'NGW_DEST_ADDRESS_PRESERVATION', 'NGW_REQUIRES_SOURCE_IN_VPC', 'NGW_SOURCE_ADDRESS_REASSIGN', 'NO_POSSIBLE_DESTINATION', 'NO_ROUTE_TO_DESTINATION', 'PCX_REQUIRES_ADDRESS_IN_VPC_CIDR', 'PROTOCOL_RESTRICTION', 'REGIONAL_NGW_ROUTE_AZ_RESTRICTION', 'REMAP_EPHEMERAL_PORT', 'SG_HAS_NO_RULES', 'SG_REFERENCES_NOT_PRESERVED', 'SG_REFERENCING_SUPPORT', 'SUBNET_ACL_RESTRICTION', 'TARGET_ADDRESS_RESTRICTION', 'TARGET_PORT_RESTRICTION', 'TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION', 'TGW_ATTACH_VPC_AZ_RESTRICTION', 'TGW_BAD_STATE_VPN', 'TGW_ROUTE_AZ_RESTRICTION', 'TGW_RTB_BAD_STATE_ROUTE', 'TGW_RTB_CANNOT_ROUTE', 'TGW_RTB_HIGHER_PRIORITY_ROUTE', 'TGW_RTB_MORE_SPECIFIC_ROUTE', 'TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT', 'TGW_RTB_ROUTES_ARE_UNKNOWN', 'UNKNOWN_DESTINATION', 'UNKNOWN_PEERED_SGS', 'UNKNOWN_RESOURCE', 'VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS', 'VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS', 'VPC_BLOCK_PUBLIC_ACCESS_ENABLED', 'VPC_LOCAL_ROUTE_CIDR_RESTRICTION', 'VPCE_GATEWAY_EGRESS_SOURCE_ADDRESS_RESTRICTION', 'VPCE_GATEWAY_PROTOCOL_RESTRICTION', 'VPCE_INTRA_VPC_TRAFFIC', 'VPCE_SERVICE_NOT_INSTALLED_IN_AZ', 'DISCONNECTED_VPCS', 'NO_PATH', 'NO_SOURCE_OR_DESTINATION', 'UNASSOCIATED_COMPONENT', 'UNSUPPORTED_COMPONENT', ];
const FILTERS = ['SOURCE_ADDRESS', 'SOURCE_PORT_RANGE', 'DESTINATION_ADDRESS', 'DESTINATION_PORT_RANGE', 'PROTOCOL'];
const GROUP_C = [
  'COMPONENT_FILTER_RESTRICTION',
  'COMPONENT_FILTER_RESTRICTION_REMOVED_COMPONENT',
  ...FILTERS.map((f) => `FILTER_AT_SOURCE_${f}`),
  ...FILTERS.map((f) => `FILTER_AT_DESTINATION_${f}`),
  'IGW_EXPECTS_PUBLIC_ADDRESS',
];

describe('explanation catalogue', () => {
  test('every documented code has a plain meaning', () => {
    expect(GROUP_AB).toHaveLength(76);
    for (const code of [...GROUP_AB, ...GROUP_C]) {
      const info = describeExplanation(code);
      expect({ code, meaning: info?.meaning }).toEqual({ code, meaning: expect.stringMatching(/^[A-Z].{15,}\.$/) });
    }
    expect(Object.keys(EXPLANATIONS).sort()).toEqual([...GROUP_AB, ...GROUP_C].sort());
  });

  test('groups: no-path and filter codes are told apart from blocking ones', () => {
    expect(describeExplanation('ENI_SG_RULES_MISMATCH')?.group).toBe('blocked');
    expect(describeExplanation('DISCONNECTED_VPCS')?.group).toBe('no-path');
    expect(describeExplanation('FILTER_AT_SOURCE_PROTOCOL')?.group).toBe('filter');
  });

  test('unknown and prototype-ish codes are unknown, not crashes', () => {
    expect(describeExplanation('SOMETHING_NEW')).toBeUndefined();
    expect(describeExplanation('constructor')).toBeUndefined();
    expect(describeExplanation('__proto__')).toBeUndefined();
  });

  test('additional detail codes have notes', () => {
    expect(Object.keys(ADDITIONAL_DETAILS)).toHaveLength(11);
  });
});

const question: ReachQuestion = {
  source: { input: 'web-1', kind: 'instance', id: 'i-0web', name: 'web-1' },
  destination: { input: 'db-1', kind: 'instance', id: 'i-0db', name: 'db-1' },
  protocol: 'tcp',
  port: 5432,
  accountName: 'prod',
  region: 'us-east-1',
};
const analysis = (over: Partial<Analysis>): Analysis => ({ id: 'nia-1', pathId: 'nip-1', status: 'succeeded', forward: [], returnPath: [], explanations: [], alternatePathHints: [], ...over });

describe('interpretAnalysis', () => {
  test('an unknown code still becomes an issue with its components', () => {
    const ex: Explanation = { code: 'BRAND_NEW_CODE', components: { component: { id: 'xyz-123', name: 'thing' } } };
    const out = interpretAnalysis(analysis({ pathFound: false, explanations: [ex] }), question);
    expect(out).toMatchObject({ reachable: false, issues: [{ code: 'BRAND_NEW_CODE', group: 'unknown', blocking: { id: 'xyz-123' }, explanation: ex }] });
    if (!out.reachable) expect(out.issues[0].meaning).toBeUndefined();
  });

  test('NACL and route fixes; hop-level explanations are collected; detail codes become notes', () => {
    const out = interpretAnalysis(
      analysis({
        pathFound: false,
        forward: [
          { seq: 1, component: { id: 'i-0web' }, outbound: { sourceAddresses: ['10.0.1.10/32'] }, details: ['AVAILABILITY_ZONE_CROSSED', 'NEW_DETAIL'] },
          { seq: 2, component: { id: 'rtb-1' }, explanations: [{ code: 'NO_ROUTE_TO_DESTINATION', components: { routeTable: { id: 'rtb-1', name: 'private' } }, addresses: ['10.9.0.5'] }] },
        ],
        explanations: [{ code: 'SUBNET_ACL_RESTRICTION', direction: 'ingress', components: { acl: { id: 'acl-1' }, subnet: { id: 'subnet-1' } }, aclRule: { egress: false, ruleNumber: 32767, action: 'deny' } }],
      }),
      question,
    );
    if (out.reachable) throw new Error('expected not reachable');
    expect(out.issues.map((i) => i.fix)).toEqual([
      { kind: 'nacl-rule', direction: 'inbound', acl: { id: 'acl-1' }, protocol: 'tcp', port: 5432, cidr: '10.0.1.10/32' },
      { kind: 'route', routeTable: { id: 'rtb-1', name: 'private' }, destination: '10.9.0.5' },
    ]);
    expect(out.issues[0].blocking).toEqual({ id: 'acl-1' });
    expect(out.notes).toEqual(['The path crosses Availability Zones.', 'NEW_DETAIL']);
  });

  test('outbound security-group mismatch: the fix opens egress toward the destination', () => {
    const q = { ...question, destination: { input: '8.8.8.8', kind: 'ip' as const, ip: '8.8.8.8' }, port: 443 };
    const out = interpretAnalysis(analysis({ pathFound: false, explanations: [{ code: 'ENI_SG_RULES_MISMATCH', direction: 'egress', components: {}, securityGroups: [{ id: 'sg-web', name: 'web-sg' }] }] }), q);
    expect(!out.reachable && out.issues[0].fix).toEqual({ kind: 'sg-rule', direction: 'outbound', group: { id: 'sg-web', name: 'web-sg' }, protocol: 'tcp', port: 443, peer: '8.8.8.8/32' });
  });

  test.each([
    ['its security group', { securityGroupIds: ['sg-0web', 'sg-0ssh'], privateIp: '10.0.1.10' }, 'sg-0web'],
    ['its private address as a /32', { privateIp: '10.0.1.10' }, '10.0.1.10/32'],
    ['nothing it cannot know', {}, undefined],
  ])('blocked with no hops: the inbound fix names the source by %s (least privilege, issue 10)', (_what, side, peer) => {
    const q = { ...question, source: { ...question.source, ...side } };
    const ex: Explanation = { code: 'ENI_SG_RULES_MISMATCH', direction: 'ingress', components: { securityGroup: { id: 'sg-0db', name: 'db-sg' } } };
    const out = interpretAnalysis(analysis({ pathFound: false, forward: [], explanations: [ex] }), q);
    expect(!out.reachable && out.issues[0].fix).toEqual({ kind: 'sg-rule', direction: 'inbound', group: { id: 'sg-0db', name: 'db-sg' }, protocol: 'tcp', port: 5432, ...(peer ? { peer } : {}) });
  });

  test('catalogue advice is the fallback fix', () => {
    const out = interpretAnalysis(analysis({ pathFound: false, explanations: [{ code: 'GWLB_PROTOCOL_RESTRICTION', components: {} }] }), question);
    expect(!out.reachable && out.issues[0].fix).toEqual({ kind: 'advice', text: 'Analyse with udp.' });
  });
});

describe('closest names', () => {
  test('edit distance', () => {
    expect(editDistance('db-1', 'db-01')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
  test('nearest first, case-insensitive, capped, far names dropped', () => {
    expect(closestNames('db-1', ['db-10', 'db-01', 'web-1', 'cache-1', 'db-2', 'db-22'])).toEqual(['db-01', 'db-10', 'db-2']);
    expect(closestNames('WEB-1', ['web-1', 'web-2'])).toEqual(['web-1', 'web-2']);
    expect(closestNames('payments-api', ['payments-api-blue', 'orders'])).toEqual(['payments-api-blue']);
    expect(closestNames('zzz', ['web-1'])).toEqual([]);
  });
});

describe('pollAnalysis', () => {
  test('backs off 2 s, 3 s, 4.5 s… up to the cap and stops at the deadline', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const seen: number[] = [];
    const port = { getAnalysis: async () => { seen.push(clock.now() - start); return analysis({ status: 'running' }); } } as any;
    const p = pollAnalysis(port, analysis({ status: 'running' }), { clock, deadlineMs: 60_000, initialDelayMs: 2_000, maxDelayMs: 10_000 });
    await new Promise((r) => setImmediate(r));
    while (clock.pending || seen.length === 0) {
      await clock.advance(500);
      if (clock.now() - start > 120_000) break;
    }
    expect(await p).toBeNull();
    expect(seen.slice(0, 6)).toEqual([2_000, 5_000, 9_500, 16_250, 26_250, 36_250]);
    expect(seen.at(-1)).toBe(60_000);
  });
});
