// The page's mrkdwn renderer is plain browser JS (no build step); jest loads the same file with require().
const md = require('../../../src/playground/page/mrkdwn.js');

const ctx = {
  users: { U0ALICE01: 'alice', UBOT: 'Lookout' },
  channels: { C0OPS: 'ops' },
  timeZone: 'UTC',
  now: () => Date.UTC(2023, 10, 14, 23, 0, 0),
};
const html = (text: string) => md.toHtml(md.parseMrkdwn(text, ctx));

/** Every tag and attribute name in rendered HTML: what could possibly execute. */
function tagsAndAttributes(out: string): string[] {
  return [...out.matchAll(/<\/?([a-z]+)([^>]*)>/g)].flatMap((m) => [m[1], ...[...m[2].matchAll(/\s([a-z-]+)=/g)].map((a) => `@${a[1]}`)]);
}

describe('mrkdwn → DOM model', () => {
  it('formats bold, italic, strike and code, only at word boundaries', () => {
    expect(html('*bold* _italic_ ~strike~ `code`')).toBe('<b>bold</b> <i>italic</i> <s>strike</s> <code>code</code>');
    expect(html('*bold with _italic_ inside*')).toBe('<b>bold with <i>italic</i> inside</b>');
    expect(html('web_sg_1 and 2*3*4 and *unclosed')).toBe('web_sg_1 and 2*3*4 and *unclosed');
    expect(html('`no *bold* in code`')).toBe('<code>no *bold* in code</code>');
  });

  it('renders ``` blocks as pre (no formatting inside) and > lines as one quote', () => {
    expect(html('before\n```aws ec2 *describe*\n--x```\nafter')).toBe('before<pre>aws ec2 *describe*\n--x</pre>after');
    expect(html('a\n&gt; one *b*\n> two\nc')).toBe('a<blockquote>one <b>b</b><br>two</blockquote>c');
    expect(html('&gt;&gt;&gt; all\nthe rest')).toBe('<blockquote>all<br>the rest</blockquote>');
    expect(html('line 1\nline 2')).toBe('line 1<br>line 2');
  });

  it('renders links with labels, bare links and mailto; other schemes become plain text', () => {
    expect(html('<https://example.com/a?b=1&amp;c=2|the label>')).toBe('<a href="https://example.com/a?b=1&amp;c=2">the label</a>');
    expect(md.parseMrkdwn('<https://example.com/a?b=1&amp;c=2|x>', ctx)[0].href).toBe('https://example.com/a?b=1&c=2');
    expect(html('<http://example.com>')).toBe('<a href="http://example.com">http://example.com</a>');
    expect(html('<mailto:ops@example.com|mail us>')).toBe('<a href="mailto:ops@example.com">mail us</a>');
    expect(html('<javascript:alert(1)|click me>')).toBe('click me');
    expect(html('<data:text/html;base64,PHNjcmlwdD4=|x> <vbscript:msgbox|y> <JavaScript:alert(1)>')).toBe('x y &lt;JavaScript:alert(1)&gt;');
    expect(html('*<https://example.com|bold_link_with_*stars*>*')).toBe('<b><a href="https://example.com">bold_link_with_*stars*</a></b>');
  });

  it('shows mentions by name, channels, user groups and broadcasts', () => {
    expect(html('<@U0ALICE01> <@U0UNKNOWN> <@U0X|given>')).toBe(
      '<span class="mention">@alice</span> <span class="mention">@U0UNKNOWN</span> <span class="mention">@given</span>',
    );
    expect(html('<#C0OPS> <#C0OTHER|incidents> <#C0NONAME>')).toBe(
      '<span class="mention">#ops</span> <span class="mention">#incidents</span> <span class="mention">#C0NONAME</span>',
    );
    expect(html('<!subteam^S0ONCALL|@oncall> <!subteam^S0X>')).toBe('<span class="mention">@oncall</span> <span class="mention">@S0X</span>');
    expect(html('<!here> <!channel>')).toBe('<span class="mention broadcast">@here</span> <span class="mention broadcast">@channel</span>');
  });

  it('formats <!date^…> in the reader time zone, or shows the fallback for unknown formats', () => {
    const epoch = Date.UTC(2023, 10, 14, 22, 13, 20) / 1000;
    const text = (t: string) => md.textOf(md.parseMrkdwn(t, ctx));
    expect(text(`<!date^${epoch}^{date_short_pretty} {time}|2023-11-14T22:13:20Z>`)).toBe('today 10:13 PM');
    expect(text(`<!date^${epoch}^{date_num} {time_secs}|x>`)).toBe('2023-11-14 10:13:20 PM');
    expect(text(`<!date^${epoch}^{date} · {date_long}|x>`)).toBe('November 14th, 2023 · Tuesday, November 14th, 2023');
    expect(text(`<!date^${epoch - 86400}^{date_pretty}|x>`)).toBe('yesterday');
    expect(text(`<!date^${epoch}^{ago}|x>`)).toBe('47 minutes ago');
    expect(text(`<!date^${epoch}^{no_such_token}|the fallback>`)).toBe('the fallback');
    expect(text('<!date^not-a-number^{date}|fallback &amp; more>')).toBe('fallback & more');
    expect(md.parseMrkdwn(`<!date^${epoch}^{date_short}^https://example.com/x|f>`, ctx)[0]).toMatchObject({ tag: 'a', href: 'https://example.com/x' });
  });

  it('decodes &lt; &gt; &amp; exactly once', () => {
    expect(md.textOf(md.parseMrkdwn('a &lt; b &amp;&amp; c &gt; d', ctx))).toBe('a < b && c > d');
    expect(md.textOf(md.parseMrkdwn('&amp;lt;not a tag&amp;gt; &amp;amp;', ctx))).toBe('&lt;not a tag&gt; &amp;');
    expect(md.textOf(md.parseMrkdwn('`&lt;code&gt;` ```&amp;lt;pre```', ctx))).toBe('<code> &lt;pre');
    expect(md.textOf(md.parseMrkdwn('<https://x.example|a &amp;amp; b>', ctx))).toBe('a &amp; b');
  });

  it('turns known :emoji: into characters and leaves others (and code) alone', () => {
    expect(md.textOf(md.parseMrkdwn(':warning: :white_check_mark: :ec2: `:x:`', ctx))).toBe('⚠️ ✅ :ec2: :x:');
  });

  it.each([
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '&lt;img src=x onerror=alert(1)&gt;',
    '&lt;script&gt;alert(1)&lt;/script&gt;',
    '*<b onclick=alert(1)>bold</b>*',
    '<https://ok.example" onmouseover="alert(1)|label>',
    '<https://ok.example|"><script>alert(1)</script>>',
    '```</pre><script>alert(1)</script>```',
    '<!date^1700000000^<img src=x onerror=alert(1)>|<img src=x>>',
    '"quotes" and \'apostrophes\' <@U1"><img src=x>',
  ])('keeps hostile text inert: %s', (hostile) => {
    const out = html(hostile);
    const allowed = new Set(['b', 'i', 's', 'code', 'pre', 'blockquote', 'br', 'a', 'span', '@href', '@class', '@title']);
    expect(tagsAndAttributes(out).filter((t) => !allowed.has(t))).toEqual([]);
    expect(out).not.toMatch(/<(script|img)\b/i);
    for (const href of out.matchAll(/href="([^"]*)"/g)) expect(href[1]).toMatch(/^(https?:\/\/|mailto:)/);
    // Links never contain a whitespace or a quote that could end the attribute in a naive renderer.
    for (const n of JSON.stringify(md.parseMrkdwn(hostile, ctx)).matchAll(/"href":"([^"\\]*)/g)) expect(n[1]).not.toMatch(/\s/);
  });

  it('treats null, numbers and empty text as text', () => {
    expect(md.parseMrkdwn('', ctx)).toEqual([]);
    expect(md.parseMrkdwn(null, ctx)).toEqual([]);
    expect(html(42 as unknown as string)).toBe('42');
  });
});
