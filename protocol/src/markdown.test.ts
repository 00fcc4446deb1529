import { describe, expect, it } from 'vitest';
import { escapeHtml, placeholderNames, renderMarkdown, renderText } from './markdown';

/** No tag in the output other than the ones the subset produces, and no attribute other than a link's. */
function expectOnlySafeMarkup(html: string) {
  for (const tag of html.match(/<[^>]*>/g) ?? [])
    expect(tag).toMatch(/^<\/?(p|strong|em|ul|ol|li|br)( start="\d+")?>$|^<a href="(https?:|mailto:)[^"]*" target="_blank" rel="noopener noreferrer">$|^<\/a>$/);
}

describe('renderMarkdown', () => {
  it('renders paragraphs, line breaks, bold, italic and lists', () => {
    expect(renderMarkdown('Hello **world** and *you*\nnext line\n\nSecond _para_')).toBe(
      '<p>Hello <strong>world</strong> and <em>you</em><br>next line</p><p>Second <em>para</em></p>',
    );
    expect(renderMarkdown('- one\n- **two**\n\n3. three\n4. four')).toBe(
      '<ul><li>one</li><li><strong>two</strong></li></ul><ol start="3"><li>three</li><li>four</li></ol>',
    );
    expect(renderMarkdown('Intro:\n* a\n  continued\n* b')).toBe('<p>Intro:</p><ul><li>a<br>continued</li><li>b</li></ul>');
    expect(renderMarkdown('**bold with *italic* inside**')).toBe('<p><strong>bold with <em>italic</em> inside</strong></p>');
  });

  it('keeps lone and unmatched markers, snake_case and arithmetic as text', () => {
    expect(renderMarkdown('2 * 3 * 4')).toBe('<p>2 * 3 * 4</p>');
    expect(renderMarkdown('file_name_here')).toBe('<p>file_name_here</p>');
    expect(renderMarkdown('**open')).toBe('<p>**open</p>');
    expect(renderMarkdown('\\*not italic\\*')).toBe('<p>*not italic*</p>');
    expect(renderMarkdown('# not a heading')).toBe('<p># not a heading</p>');
  });

  it('renders http(s) and mailto links with safe attributes', () => {
    expect(renderMarkdown('[Portal](https://it.example.com/a?b=1&c=2)')).toBe(
      '<p><a href="https://it.example.com/a?b=1&#38;c=2" target="_blank" rel="noopener noreferrer">Portal</a></p>',
    );
    expect(renderMarkdown('[Mail us](mailto:it@example.com)')).toContain('href="mailto:it@example.com"');
    expect(renderMarkdown('[**bold** link](http://x.test)')).toContain('><strong>bold</strong> link</a>');
  });

  const hostile = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[click]( javascript:alert(1) )',
    '[click](&#106;avascript:alert(1))',
    '[click](data:text/html;base64,PHNjcmlwdD4=)',
    '[click](vbscript:msgbox)',
    '[x](https://ok.test" onmouseover="alert(1))',
    "[x](https://ok.test' onmouseover='alert(1))",
    '![img](https://x.test/a.png)',
    '![img](javascript:alert(1))',
    '<a href="javascript:alert(1)">x</a>',
    '**<b>bold</b>**',
    '<iframe src="https://evil.test"></iframe>',
    '[a](//evil.test)',
    '<svg onload=alert(1)>',
    '"><script>alert(1)</script>',
    '[x](https://)',
  ];
  for (const input of hostile)
    it(`renders ${JSON.stringify(input)} inert`, () => {
      const html = renderMarkdown(input);
      expectOnlySafeMarkup(html);
      expect(html).not.toMatch(/<(script|img|iframe|svg)/i);
      expect(html).not.toMatch(/href="(?!https?:\/\/[^/"]|mailto:)/i);
      expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    });

  it('shows images and foreign links as their literal text', () => {
    expect(renderMarkdown('![logo](https://x.test/a.png)')).toBe('<p>![logo](https://x.test/a.png)</p>');
    expect(renderMarkdown('[x](javascript:alert(1))')).toBe('<p>[x](javascript:alert(1))</p>');
    expect(renderMarkdown('<b>hi</b>')).toBe('<p>&#60;b&#62;hi&#60;/b&#62;</p>');
  });

  it('substitutes parameters and the user after parsing, escaped', () => {
    const params = { name: '<img src=x onerror=alert(1)>', emph: '**not bold**', link: '[x](javascript:alert(1))', id: 'a b/../?x="1"' };
    const html = renderMarkdown('Hi {{name}} {{ emph }} {{link}} {user}', params, '<script>u</script>');
    expectOnlySafeMarkup(html);
    expect(html).toBe(
      '<p>Hi &#60;img src=x onerror=alert(1)&#62; **not bold** [x](javascript:alert(1)) &#60;script&#62;u&#60;/script&#62;</p>',
    );
    const link = renderMarkdown('[ticket](https://it.test/t/{{id}}?u={user})', params, 'ana@x');
    expect(link).toContain('href="https://it.test/t/a%20b%2F..%2F%3Fx%3D%221%22?u=ana%40x"');
  });

  it('cannot take the scheme of a link from a parameter', () => {
    const html = renderMarkdown('[open]({{url}})', { url: 'javascript:alert(1)' });
    expect(html).toBe('<p>[open](javascript:alert(1))</p>');
    expect(html).not.toContain('<a');
  });

  it('keeps unknown placeholders visible and handles hostile sizes quickly', () => {
    expect(renderMarkdown('Due {{deadline}} for {user}')).toBe('<p>Due {{deadline}} for {user}</p>');
    const started = Date.now();
    renderMarkdown('*a '.repeat(3000) + '[x'.repeat(2000) + '**'.repeat(2000) + '_b '.repeat(2000));
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('renderText and helpers', () => {
  it('substitutes without interpreting markup', () => {
    expect(renderText('Hi {user}, **{{x}}** {{missing}}', { x: '<b>' }, 'Ana')).toBe('Hi Ana, **<b>** {{missing}}');
    expect(renderText('{user}')).toBe('{user}');
  });

  it('does not read inherited properties as parameter values', () => {
    expect(renderText('{{constructor}} {{toString}}', {})).toBe('{{constructor}} {{toString}}');
    expect(renderMarkdown('{{constructor}}', {})).toBe('<p>{{constructor}}</p>');
  });

  it('lists placeholders and escapes every HTML-significant character', () => {
    expect(placeholderNames('{{a}} and {{ b }} and {{a}} and {{ not valid }} {user}')).toEqual(['a', 'b', 'a']);
    expect(escapeHtml(`<>&"'`)).toBe('&#60;&#62;&#38;&#34;&#39;');
  });
});
