import type { Template, TemplateListing } from '../../../src/chaos/model';
import { sandboxTemplates } from '../../../src/sandbox/fis';
import { renderTemplateDetails, renderTemplateList } from '../../helpers/views';
import { blockKitProblems, liveTokens } from '../chaos/view-limits';

const ctx = { userId: 'U0CAROL', account: { name: 'sandbox', id: '123456789012' }, region: 'us-east-1', durationMs: 420 };
const tag = { key: 'lookout:allowed', value: 'true' };
const templates = sandboxTemplates().map((t) => t.template);
const listing = (ts: Template[], detailed = ts.length): TemplateListing => ({
  items: ts.map((t, i) => ({ summary: { id: t.id, name: t.name, description: t.description, tags: t.tags }, ...(i < detailed ? { template: t } : {}), allowed: t.tags[tag.key] === tag.value })),
  templateTag: tag,
});
const EVIL = '<!channel> <https://evil.example|x>';

describe('/chaos list', () => {
  it('lists the sandbox templates', () => {
    const m = renderTemplateList(listing(templates), ctx);
    expect(blockKitProblems(m)).toEqual([]);
    expect(m).toMatchSnapshot();
  });

  it('flags templates without stop conditions and those the template tag keeps out', () => {
    const json = JSON.stringify(renderTemplateList(listing(templates), ctx));
    expect(json).toContain(':warning: no stop conditions');
    expect(json).toContain(':lock: Not runnable from Lookout: lacks the tag `lookout:allowed=true`');
  });

  it('says so when there are none', () => {
    expect(renderTemplateList({ items: [] }, ctx).blocks[1]).toMatchObject({ text: { text: expect.stringContaining('No FIS experiment templates') } });
  });

  it('cuts 500 templates to Block Kit limits with "and N more"', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ ...templates[0], id: `EXT${i}`, name: `${EVIL}-${i}`, description: EVIL.repeat(10) }));
    const m = renderTemplateList(listing(many, 20), ctx);
    expect(blockKitProblems(m)).toEqual([]);
    expect(JSON.stringify(m)).toMatch(/and \d+ more templates not shown/);
    expect(liveTokens(m).filter((t) => /channel|evil/.test(t))).toEqual([]);
  });
});

describe('/chaos show', () => {
  it('shows details with a verified preview and the CLI to check it', () => {
    const m = renderTemplateDetails(
      {
        template: templates[0],
        allowed: true,
        templateTag: tag,
        preview: { status: 'verified', experimentId: 'EXPsbx1', at: 0, targets: [{ targetName: 'web-instances', resourceType: 'aws:ec2:instance', info: { arn: 'arn:aws:ec2:us-east-1:123456789012:instance/i-0web00000000001', id: 'i-0web00000000001', name: 'web-1' } }] },
      },
      ctx,
    );
    expect(blockKitProblems(m)).toEqual([]);
    expect(m).toMatchSnapshot();
  });

  it('never lists resources without a verified dry run', () => {
    const m = renderTemplateDetails({ template: templates[1], allowed: false, templateTag: tag, preview: { status: 'unavailable', reason: 'AWS did not confirm the dry-run mode' } }, ctx);
    const json = JSON.stringify(m);
    expect(json).toContain('preview unavailable — AWS did not confirm the dry-run mode');
    expect(json).toContain(':warning: *No stop conditions.*');
    expect(json).not.toContain('list-experiment-resolved-targets');
  });
});
