import { describe, expect, it } from "vitest";
import { descriptionExcerpt, descriptionText, EXCERPT_SOURCE_CHARS, looksLikeHtml, safeDescriptionHtml } from "./description-html.js";

/** What Shopify writes in `Body (HTML)`, with the tricks a hostile or careless file may hold. */
const SHOPIFY_BODY =
  '<meta charset="utf-8"><p data-mce-fragment="1">Stylish <strong>pink</strong> armchair&nbsp;&amp; footstool</p>\n' +
  "<ul>\n  <li>Oak   legs</li>\n  <li>Velvet</li>\n</ul>\n" +
  "<script>alert('list')</script><style>p { color: red }</style>" +
  '<img src="https://cdn.example/chair.jpg" onerror="alert(1)">Made in<br>Portugal';

describe("looksLikeHtml", () => {
  it("sees tags, comments and character references, not comparisons or ampersands in prose", () => {
    for (const html of ["<p>x</p>", "a<br/>b", "<BR>", '<a href="x">y</a>', "<!-- note -->", "Tom &amp; Jerry", "&#8212;", "&#x2014;"]) {
      expect(looksLikeHtml(html), html).toBe(true);
    }
    for (const text of ["", "Plain text", "a < b and c > d", "R&D; AT&T", "3 <5 kg", "Size: <>", "x & y"]) {
      expect(looksLikeHtml(text), text).toBe(false);
    }
  });
});

describe("descriptionText (what the products list shows)", () => {
  it("is the text a reader sees: tags gone, entities decoded, blocks on their own lines, scripts and styles dropped", () => {
    expect(descriptionText(SHOPIFY_BODY)).toBe("Stylish pink armchair & footstool\nOak legs\nVelvet\nMade in\nPortugal");
  });

  it("gives a plain one-liner for the common case", () => {
    expect(descriptionText("<p>Stylish pink armchair</p>")).toBe("Stylish pink armchair");
  });

  it("separates table cells by a space and rows by a line", () => {
    expect(descriptionText("<table><tr><th>Size</th><td>M</td></tr><tr><th>Colour</th><td>Blue</td></tr></table>")).toBe("Size M\nColour Blue");
  });

  it("keeps escaped markup as the characters it spells, decoded once", () => {
    expect(descriptionText("<p>&lt;b&gt; is bold; &amp;amp; is an ampersand; &quot;quoted&quot; &#8212; &eacute;</p>")).toBe(
      '<b> is bold; &amp; is an ampersand; "quoted" — é',
    );
  });

  it("leaves text without HTML exactly as it is, line breaks and all", () => {
    for (const text of ["Warm wool hat", "a < b & c\nsecond line", "  spaced  "]) expect(descriptionText(text)).toBe(text);
  });
});

describe("descriptionExcerpt (a list's bounded share of a long description)", () => {
  it("is the whole text when the description is short enough", () => {
    expect(descriptionExcerpt("<p>Short</p>")).toBe("Short");
  });

  it("reads only the beginning of a long one, never a half tag, and says there is more", () => {
    const long = `<p>${"word ".repeat(EXCERPT_SOURCE_CHARS / 5)}</p><p>tail</p>`;
    const cutInTag = `${"x".repeat(EXCERPT_SOURCE_CHARS - 3)}<a href="https://example.com">link</a>`;
    const excerpt = descriptionExcerpt(long);
    expect(excerpt).toMatch(/^word word .*…$/);
    expect(excerpt.length).toBeLessThanOrEqual(EXCERPT_SOURCE_CHARS);
    expect(excerpt).not.toContain("tail");
    expect(descriptionExcerpt(cutInTag)).toBe(`${"x".repeat(EXCERPT_SOURCE_CHARS - 3)}…`);
  });
});

describe("safeDescriptionHtml (the edit dialog's preview)", () => {
  it("keeps harmless formatting and drops scripts, styles and event handlers", () => {
    expect(safeDescriptionHtml(SHOPIFY_BODY)).toBe(
      "<p>Stylish <strong>pink</strong> armchair\u00a0&amp; footstool</p>\n<ul>\n  <li>Oak   legs</li>\n  <li>Velvet</li>\n</ul>\n" +
        "<span>[image]</span>Made in<br />Portugal",
    );
  });

  it("names an image by its alt text instead of loading it", () => {
    expect(safeDescriptionHtml('<img src="https://cdn.example/chair.jpg" alt="Pink <b>armchair</b>" srcset="a.jpg 2x">')).toBe(
      "<span>[image: Pink &lt;b&gt;armchair&lt;/b&gt;]</span>",
    );
  });

  it("keeps absolute http(s) and mailto links, opened apart and vouched for by nobody", () => {
    expect(safeDescriptionHtml('<a href="https://example.com/care?a=1&amp;b=2" target="_self" rel="opener" title="t">Care</a>')).toBe(
      '<a href="https://example.com/care?a=1&amp;b=2" rel="noopener noreferrer nofollow" target="_blank">Care</a>',
    );
    expect(safeDescriptionHtml('<a href="mailto:shop@example.com">Mail</a>')).toContain('href="mailto:shop@example.com"');
  });

  it("drops every other link target: scripts, data, relative and protocol-relative addresses", () => {
    const hrefs = ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "jav&#x09;ascript:alert(1)", "data:text/html,<script>alert(1)</script>"];
    for (const href of [...hrefs, "vbscript:x", "/products/delete-all", "//evil.example/", "#top"]) {
      expect(safeDescriptionHtml(`<a href="${href}">x</a>`), href).toBe('<a rel="noopener noreferrer nofollow" target="_blank">x</a>');
    }
  });

  it("keeps tables, with only their spans", () => {
    expect(safeDescriptionHtml('<table class="x" style="width:9999px"><tr><td colspan="2" onclick="x()">a</td></tr></table>')).toBe(
      '<table><tr><td colspan="2">a</td></tr></table>',
    );
  });

  it("lets no markup that a browser would run through, however it is disguised", () => {
    const attacks = [
      "<svg><script>alert(1)</script></svg>",
      '<svg onload="alert(1)"><style><img src=x onerror=alert(1)></style></svg>',
      "<math><mi><style><img src=x onerror=alert(1)></style></mi></math>",
      '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
      '<![CDATA[><noscript>]]><p title="</noscript><img src=x onerror=alert(1)>">',
      "<textarea></textarea/><img src=x onerror=alert(1)></textarea>",
      "<xmp><img src=x onerror=alert(1)></xmp>",
      "<!--x--!><img src=x onerror=alert(1)>-->",
      "<option><style></option></select><img src=x onerror=alert(1)></style>",
      '<iframe srcdoc="<script>alert(1)</script>"></iframe><object data="x"></object><embed src="x">',
      '<form action="/logout"><button formaction="javascript:alert(1)">go</button></form>',
      '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="https://evil.example/">',
      '<p style="background:url(javascript:alert(1))" class="danger" id="logout">styled</p>',
    ];
    for (const attack of attacks) {
      const safe = safeDescriptionHtml(attack);
      expect(safe, attack).not.toMatch(
        /<(?!\/?(p|a|strong|em|b|i|u|ul|ol|li|h[1-6]|table|caption|thead|tbody|tfoot|tr|th|td|span|div|blockquote|code|pre|br)\b)/i,
      );
      expect(safe, attack).not.toMatch(/\s(on\w+|style|class|id|src|srcdoc|action|formaction|http-equiv)=/i);
      expect(safe, attack).not.toMatch(/javascript:/i);
    }
  });
});
