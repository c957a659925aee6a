import { escapeHtml, href, html, raw, SafeHtml } from './html';

describe('html tagged template', () => {
  it('escapes every interpolated value, so that typed text never becomes markup', () => {
    const name = '<script>alert("x")</script>';
    expect(html`<p>${name}</p>`.value).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>');
  });

  it('escapes quotes and backticks, so that a value cannot leave its attribute', () => {
    const value = `" onmouseover="alert(1)' x=\`y`;
    const markup = html`<input value="${value}">`.value;
    expect(markup).toBe('<input value="&quot; onmouseover=&quot;alert(1)&#39; x=&#96;y">');
    expect(markup).not.toContain('" onmouseover');
  });

  it('escapes the ampersand first (no double meaning of entities typed by a user)', () => {
    expect(escapeHtml('&lt;b&gt; & <b>')).toBe('&amp;lt;b&amp;gt; &amp; &lt;b&gt;');
  });

  it('inserts nested templates as they are, and escapes the values inside them once', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}</p>`.value).toBe('<p><b>&lt;i&gt;</b></p>');
  });

  it('renders arrays item by item, and nothing for null, undefined and false', () => {
    expect(html`<ul>${['<a>', html`<li>b</li>`]}</ul>`.value).toBe('<ul>&lt;a&gt;<li>b</li></ul>');
    expect(html`${null}${undefined}${false}${0}`.value).toBe('0');
  });

  it('does not trust plain objects that look like SafeHtml', () => {
    const forged = { value: '<script>alert(1)</script>' } as unknown as SafeHtml;
    expect(html`${forged}`.value).not.toContain('<script>');
  });

  it('inserts trusted constants through raw only', () => {
    expect(html`${raw('<br>')}`.value).toBe('<br>');
  });

  it('builds query strings with encoded values and without empty parameters', () => {
    expect(href('/programme', { region: 'Bourgogne-Franche-Comté', statut: '', appel: undefined, x: 'a&b=c' })).toBe(
      '/programme?region=Bourgogne-Franche-Comt%C3%A9&x=a%26b%3Dc',
    );
  });
});
