import { confirmButton, CHAOS_ACTIONS } from '../../../src/views/chaos-actions';
import { renderHelp, renderWhoami } from '../../../src/views/lookout';
import { context, divider, header, resultContextLine, runItYourself, section } from '../../../src/views/message';
import { formatDuration } from '../../../src/views/text';

// The page's Block Kit renderer is plain browser JS (no build step); jest loads the same files with require().
const bk = require('../../../src/playground/page/blockkit.js');
const md = require('../../../src/playground/page/mrkdwn.js');

const ctx = { users: { U0ALICE01: 'alice' }, channels: { C0OPS: 'ops' }, timeZone: 'UTC', now: () => Date.UTC(2024, 0, 1) };
const html = (blocks: unknown[]) => md.toHtml(bk.renderBlocks(blocks, ctx));
const text = (nodes: unknown) => md.textOf(nodes);

/** Every node in a model, depth first. */
function nodesOf(nodes: any[]): any[] {
  return nodes.flatMap((n) => (typeof n === 'string' ? [] : [n, ...nodesOf(n.children ?? [])]));
}

describe('Block Kit → DOM model', () => {
  it('renders what Lookout views produce without any unsupported placeholder', () => {
    const help = renderHelp([{ command: '/lookout', lines: [{ syntax: 'whoami', description: 'who am I & what may I do' }] }], 'In <#C0OPS>');
    const whoami = renderWhoami({ userId: 'U0ALICE01', channelId: 'C0OPS', otherAccounts: [], verbs: ['reach'], isAdmin: false, approver: true, configured: false });
    const blocks = [
      ...help.blocks,
      ...whoami.blocks,
      divider,
      runItYourself(['aws ec2 describe-instances --filters Name=tag:Name,Values=web-1'], 'us-east-1'),
      resultContextLine({ userId: 'U0ALICE01', account: { name: 'sandbox', id: '123456789012' }, region: 'us-east-1', durationMs: 1500 }, formatDuration),
    ];
    const nodes = bk.renderBlocks(blocks, ctx);
    const out = md.toHtml(nodes);
    expect(out).not.toContain('Unsupported');
    expect(out).toContain('<div class="bk-header">Lookout — what you can run here</div>');
    expect(out).toContain('<code>/lookout whoami</code> — who am I &amp; what may I do');
    expect(out).toContain('<b>You:</b> <span class="mention">@alice</span> in <span class="mention">#ops</span>');
    expect(out).toContain('<a href="https://us-east-1.console.aws.amazon.com/cloudshell/home?region=us-east-1">Open AWS CloudShell (us-east-1)</a>');
    expect(out).toContain('<pre>aws ec2 describe-instances --filters Name=tag:Name,Values=web-1</pre>');
    expect(out).toContain('<hr class="bk-divider">');
    expect(text(nodes)).toContain('Asked by @alice · account sandbox (123456789012) · us-east-1 · took');
  });

  it('renders buttons with styles, values and confirmation dialogs from the chaos views', () => {
    const approve = confirmButton({
      text: 'Approve',
      actionId: CHAOS_ACTIONS.approve,
      value: 'req-1',
      style: 'primary',
      confirm: { title: 'Approve this experiment?', text: 'Run *cpu-stress* in account sandbox', confirm: 'Approve' },
    });
    const stop = confirmButton({ text: 'Stop', actionId: CHAOS_ACTIONS.stop, value: 'req-1', style: 'danger', confirm: { title: 'Stop?', text: 'Now.', confirm: 'Stop it', deny: 'Keep going' } });
    const plain = { type: 'button', text: { type: 'plain_text', text: 'Details' }, action_id: 'details', value: 'x' };
    const buttons = nodesOf(bk.renderBlocks([{ type: 'actions', block_id: 'b1', elements: [approve, stop, plain] }], ctx)).filter((n) => n.tag === 'button');
    expect(buttons.map((b) => [b.cls, text(b.children), b.action.actionId, b.action.value, b.action.blockId])).toEqual([
      ['bk-button primary', 'Approve', 'chaos_approve', 'req-1', 'b1'],
      ['bk-button danger', 'Stop', 'chaos_stop', 'req-1', 'b1'],
      ['bk-button', 'Details', 'details', 'x', 'b1'],
    ]);
    expect(buttons[0].action.confirm).toMatchObject({ title: 'Approve this experiment?', confirm: 'Approve', deny: 'Cancel', style: 'primary' });
    expect(md.toHtml(buttons[0].action.confirm.text)).toBe('Run <b>cpu-stress</b> in account sandbox');
    expect(buttons[1].action.confirm).toMatchObject({ title: 'Stop?', confirm: 'Stop it', deny: 'Keep going', style: 'danger' });
    expect(buttons[2].action.confirm).toBeUndefined();
  });

  it('renders section fields and accessories, context images and image blocks (local images only)', () => {
    const out = html([
      {
        type: 'section',
        fields: [{ type: 'mrkdwn', text: '*From*\nweb-1' }, { type: 'plain_text', text: 'To: db-1 & <5432>' }],
        accessory: { type: 'button', text: { type: 'plain_text', text: 'Re-run' }, action_id: 'rerun', value: 'p1' },
      },
      { type: 'section', text: { type: 'mrkdwn', text: 'chart' }, accessory: { type: 'image', image_url: '/files/F1/a.png', alt_text: 'thumb' } },
      { type: 'context', elements: [{ type: 'image', image_url: 'data:image/png;base64,iVBORw0KGgo=', alt_text: 'icon' }, { type: 'plain_text', text: 'plain *not bold*' }] },
      { type: 'image', image_url: 'https://grafana.example.com/render/x.png', alt_text: 'CPU', title: { type: 'plain_text', text: 'CPU by instance' } },
      { type: 'image', image_url: 'javascript:alert(1)', alt_text: 'bad' },
    ]);
    expect(out).toContain('<div class="bk-field"><b>From</b><br>web-1</div><div class="bk-field">To: db-1 &amp; &lt;5432&gt;</div>');
    expect(out).toContain('<div class="bk-accessory"><button class="bk-button">Re-run</button></div>');
    expect(out).toContain('<img class="bk-accessory-image" src="/files/F1/a.png" alt="thumb" title="thumb">');
    expect(out).toContain('<img class="bk-context-image" src="data:image/png;base64,iVBORw0KGgo=" alt="icon" title="icon">');
    expect(out).toContain('<span class="bk-context-text">plain *not bold*</span>');
    // Images from the internet are links, never loaded; other schemes are not even links.
    expect(out).toContain('<div class="bk-image-title">CPU by instance</div><a class="bk-image-external" href="https://grafana.example.com/render/x.png"');
    expect(out).toContain('<span class="bk-image-external">🖼 bad</span>');
    expect(out.match(/<img /g)).toHaveLength(2);
  });

  it('renders rich_text sections, lists, preformatted and quotes with styles, links, users and channels', () => {
    const out = html([
      {
        type: 'rich_text',
        elements: [
          {
            type: 'rich_text_section',
            elements: [
              { type: 'text', text: 'Hi ' },
              { type: 'user', user_id: 'U0ALICE01' },
              { type: 'text', text: ' see <b>', style: { bold: true } },
              { type: 'link', url: 'https://example.com', text: 'docs', style: { italic: true } },
              { type: 'link', url: 'javascript:alert(1)', text: 'bad' },
              { type: 'channel', channel_id: 'C0OPS' },
              { type: 'text', text: 'x', style: { code: true, strike: true } },
              { type: 'emoji', name: 'tada', unicode: '1f389' },
            ],
          },
          { type: 'rich_text_list', style: 'ordered', indent: 1, elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'one' }] }] },
          { type: 'rich_text_list', style: 'bullet', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'dot' }] }] },
          { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'a\n  b' }] },
          { type: 'rich_text_quote', elements: [{ type: 'text', text: 'quoted' }] },
        ],
      },
    ]);
    expect(out).toContain('Hi <span class="mention">@alice</span><b> see &lt;b&gt;</b><i><a href="https://example.com">docs</a></i>bad<span class="mention">#ops</span>');
    expect(out).toContain('<s><code>x</code></s><span class="emoji" title=":tada:">🎉</span>');
    expect(out).toContain('<ol class="rt-list rt-indent-1"><li>one</li></ol><ul class="rt-list rt-indent-0"><li>dot</li></ul>');
    expect(out).toContain('<pre>a\n  b</pre><blockquote>quoted</blockquote>');
  });

  it('renders legacy attachments with a colour bar, and files', () => {
    const [att] = bk.renderAttachments(
      [{ color: 'danger', pretext: 'Heads up', title: 'Alarm', title_link: 'https://example.com/a', text: '*High* CPU', fields: [{ title: 'Host', value: 'web-1', short: true }], footer: 'sandbox' }],
      ctx,
    );
    const bar = nodesOf([att]).find((n) => n.cls === 'bk-attachment');
    expect(bar.color).toBe('#e01e5a');
    expect(md.toHtml([att])).toContain('<div class="bk-text">Heads up</div><div class="bk-attachment">');
    expect(md.toHtml([att])).toContain('<a href="https://example.com/a">Alarm</a>');
    expect(md.toHtml([att])).toContain('<div class="bk-field short"><div class="bk-field-title">Host</div><div>web-1</div></div>');
    expect(nodesOf(bk.renderAttachments([{ color: '36a64f', text: 'x' }, { color: 'red;background:url(x)', text: 'y' }], ctx)).filter((n) => n.color).map((n) => n.color)).toEqual([
      '#36a64f',
      '#dddddd',
    ]);
    const files = md.toHtml(
      bk.renderFiles([
        { name: 'chart.png', title: 'CPU', mimetype: 'image/png', url: '/files/F01/chart.png', size: 2048 },
        { name: 'out.txt', title: 'out.txt', mimetype: 'text/plain', url: '/files/F02/out.txt', size: 10 },
        { name: 'evil.png', mimetype: 'image/png', url: 'https://evil.example/x.png' },
      ]),
    );
    expect(files).toContain('<figure class="bk-file-image"><figcaption>CPU</figcaption><img src="/files/F01/chart.png" alt="CPU"></figure>');
    expect(files).toContain('<a class="bk-file" href="/files/F02/out.txt">📄 out.txt (1 KB)</a>');
    expect(files).toContain('<span class="bk-file">📄 evil.png</span>');
  });

  it('shows a placeholder for unknown or malformed blocks and elements instead of throwing', () => {
    const nodes = bk.renderBlocks(
      [
        { type: 'video', title: 'x' },
        null,
        { type: 'actions', elements: [{ type: 'static_select', action_id: 's' }, 'junk'] },
        { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'emoji', name: 'x', unicode: 'zzzzzzzz' }] }] },
        { type: 'section', text: { type: 'mrkdwn', text: 'still here' } },
      ],
      ctx,
    );
    const shown = text(nodes);
    expect(shown).toContain('Unsupported block: video');
    expect(shown).toContain('Unsupported block: unknown');
    expect(shown).toContain('Unsupported element: static_select');
    expect(shown).toContain('Unsupported block: rich_text');
    expect(shown).toContain('still here');
    expect(bk.renderBlocks(undefined, ctx)).toEqual([]);
  });

  it('keeps hostile text inert in every text slot', () => {
    const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const blocks = [
      header(evil),
      section(evil),
      context(evil),
      { type: 'section', fields: [{ type: 'plain_text', text: evil }], accessory: { type: 'button', text: { type: 'plain_text', text: evil }, action_id: 'a', url: 'javascript:alert(3)' } },
      { type: 'image', image_url: `/files/F1/x.png" onerror="alert(4)`, alt_text: evil },
      { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: evil }] }] },
    ];
    const nodes = bk.renderBlocks(blocks, ctx);
    const out = md.toHtml(nodes);
    expect(out).not.toMatch(/<(img|script)\b/);
    expect(nodesOf(nodes).find((n) => n.tag === 'button').action.url).toBeUndefined();
    expect(md.toHtml(bk.renderAttachments([{ title: evil, text: evil, title_link: 'javascript:alert(5)' }], ctx))).not.toMatch(/<(img|script)\b|href=/);
  });
});
