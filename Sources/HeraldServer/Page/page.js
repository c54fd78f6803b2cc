// Herald's preview page. Every pane is drawn from the payload bytes the render API returns (or the renderings
// `herald render --open` embeds), never from the message. Nothing here assigns HTML: every element is made with
// createElement from a fixed tag, every text goes in through text nodes, and payload HTML is parsed inertly with
// DOMParser and rebuilt from an allow-list. Hand-written because the page has no dependencies (no CDN, no bundle):
// the Markdown, mrkdwn and MIME readers below cover what Herald's renderers emit, not the whole formats.
'use strict';

(() => {
  const TOKEN_KEY = 'herald-token';
  const NAMES = {
    markdown: 'Markdown', signal: 'Signal', scilog: 'SciLog', teams: 'Microsoft Teams', telegram: 'Telegram',
    slack: 'Slack', discord: 'Discord', pushover: 'Pushover', pushbullet: 'Pushbullet', sms: 'SMS', email: 'E-mail',
    webhook: 'Webhook',
  };

  // ---------------------------------------------------------------- DOM helpers

  /** An element `tag` with attributes (`class`, `text` for its text) and children (strings become text nodes). */
  function h(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'text') node.textContent = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    append(node, children);
    return node;
  }

  function append(parent, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      parent.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return parent;
  }

  /** `url` when it is http, https or mailto; otherwise null. */
  function safeHref(url) {
    try {
      const parsed = new URL(url);
      return ['http:', 'https:', 'mailto:'].includes(parsed.protocol) ? parsed.href : null;
    } catch {
      return null;
    }
  }

  /** `src` when it is a raster image data: URI; otherwise null (no SVG, no remote image: nothing leaves the page). */
  function safeImage(src) {
    return typeof src === 'string' && /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$/.test(src) ? src : null;
  }

  /** A link that shows where it goes; its text stays text. */
  function link(href, children) {
    const target = safeHref(href);
    if (!target) return h('span', { class: 'link-refused', title: 'link not shown: ' + String(href) }, children);
    return h('a', { href: target, rel: 'noopener noreferrer', target: '_blank', title: target }, children);
  }

  /** A placeholder for an image or file whose bytes travel apart from the payload. */
  function fileChip(label, detail) {
    return h('span', { class: 'file-chip' }, h('span', { class: 'file-icon', 'aria-hidden': 'true', text: '📎' }), label,
      detail ? h('span', { class: 'file-detail', text: ' ' + detail }) : null);
  }

  function image(src, alt, width, height) {
    const safe = safeImage(src);
    if (!safe) return fileChip(alt || 'image', src ? '(' + String(src).slice(0, 40) + ')' : '');
    const node = h('img', { src: safe, alt: alt || '' });
    const px = (value) => (/^\d+(px)?$/.test(String(value)) ? parseInt(value, 10) : null);
    if (px(width)) node.style.width = Math.min(px(width), 480) + 'px';
    if (px(height) && !px(width)) node.style.height = Math.min(px(height), 360) + 'px';
    return node;
  }

  // ---------------------------------------------------------------- HTML through an allow-list

  const anyText = (value) => value;

  /**
   * The children of `html` parsed inertly (DOMParser runs no script and loads nothing), rebuilt from `rules`:
   * `rules[tag]` lists the attributes kept, each with a check (a function of the value returning the value to set,
   * or null). Another element keeps only its text; script, style and template content is dropped.
   */
  function sanitized(html, rules, rename = {}) {
    // Style attributes are renamed before parsing: the parsed document has the page's policy, which refuses (and
    // reports) every inline style; the few allowed properties are copied through the CSSOM instead.
    const renamed = html.replace(/(<[a-zA-Z][^>]*?\s)style(\s*=)/g, '$1data-herald-style$2');
    const parsed = new DOMParser().parseFromString('<!doctype html><html><body>' + renamed, 'text/html');
    const fragment = document.createDocumentFragment();
    copyChildren(parsed.body, fragment, rules, rename);
    return fragment;
  }

  function copyChildren(from, to, rules, rename) {
    for (const child of from.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        to.append(document.createTextNode(child.data));
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        const name = child.localName;
        if (['script', 'style', 'template', 'noscript', 'title', 'head'].includes(name)) continue;
        const rule = rules[name];
        if (!rule) {
          copyChildren(child, to, rules, rename);
          continue;
        }
        const copy = document.createElement(rename[name] || name);
        for (const [attribute, check] of Object.entries(rule)) {
          const source = attribute === 'style' ? 'data-herald-style' : attribute;
          if (!child.hasAttribute(source)) continue;
          const value = check(child.getAttribute(source), child);
          if (value === null || value === undefined) continue;
          if (attribute === 'style') applyStyle(copy, value);
          // An image's source is kept aside for the caller to resolve (a cid: part, a data: URI), never loaded.
          else if (attribute === 'src') copy.setAttribute('data-herald-src', value);
          else copy.setAttribute(attribute, value);
        }
        if (name === 'a' && copy.hasAttribute('href')) {
          copy.setAttribute('rel', 'noopener noreferrer');
          copy.setAttribute('target', '_blank');
        }
        copyChildren(child, copy, rules, rename);
        to.append(copy);
      }
    }
  }

  const STYLE_PROPERTIES = ['color', 'background-color', 'font-weight', 'font-style', 'text-decoration', 'white-space', 'font-family',
    'text-align', 'border', 'padding', 'margin', 'font-size'];

  /** The few presentational CSS properties of a style attribute, set through the CSSOM (which the CSP allows). */
  function applyStyle(to, declarations) {
    for (const declaration of declarations.split(';')) {
      const colon = declaration.indexOf(':');
      const property = declaration.slice(0, colon).trim().toLowerCase();
      const value = declaration.slice(colon + 1).trim();
      if (colon > 0 && STYLE_PROPERTIES.includes(property) && !/url\s*\(|expression|\\|@/i.test(value)) to.style.setProperty(property, value);
    }
  }

  const hrefCheck = (value) => safeHref(value);
  const oneOf = (...allowed) => (value) => (value.split(/\s+/).every((item) => allowed.includes(item)) ? value : null);

  // ---------------------------------------------------------------- inline markup (Markdown, Discord, mrkdwn)

  const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

  /** `&name;` or a numeric reference at `index`: [text, length], or null. */
  function entityAt(text, index, named) {
    const match = /^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/.exec(text.slice(index, index + 12));
    if (!match) return null;
    const body = match[1];
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return [code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd', match[0].length];
    }
    return named.includes(body) ? [ENTITIES[body], match[0].length] : null;
  }

  /**
   * A dialect: `escapable` (characters a backslash makes literal, '' for none), `delimiters` ([marker, tag, class]
   * longest first), `entities` (named references decoded), `links` ('markdown' for [text](url), 'slack' for <url|text>).
   */
  const DIALECTS = {
    markdown: {
      escapable: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
      delimiters: [['**', 'strong'], ['__', 'strong'], ['~~', 'del'], ['*', 'em'], ['_', 'em'], ['~', 'del']],
      entities: ['amp', 'lt', 'gt', 'quot', 'apos', 'nbsp'], links: 'markdown',
    },
    discord: {
      escapable: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
      delimiters: [['**', 'strong'], ['__', 'u'], ['~~', 'del'], ['||', 'span', 'spoiler'], ['*', 'em'], ['_', 'em']],
      entities: [], links: 'markdown',
    },
    slack: {
      escapable: '',
      delimiters: [['*', 'strong'], ['_', 'em'], ['~', 'del']],
      entities: ['amp', 'lt', 'gt'], links: 'slack',
    },
  };

  /** Nodes for `text` in `dialect`: emphasis pairs, code spans, links, escapes and references. */
  function inline(text, dialect) {
    const out = [];
    let plain = '';
    const flush = () => {
      if (plain) out.push(document.createTextNode(plain));
      plain = '';
    };
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '\\' && dialect.escapable.includes(text[i + 1] || '\u0000')) {
        plain += text[i + 1];
        i += 2;
        continue;
      }
      if (c === '&') {
        const entity = entityAt(text, i, dialect.entities);
        if (entity && dialect.entities.length) {
          plain += entity[0];
          i += entity[1];
          continue;
        }
      }
      if (c === '`') {
        let run = 1;
        while (text[i + run] === '`') run += 1;
        const fence = '`'.repeat(run);
        let close = text.indexOf(fence, i + run);
        while (close !== -1 && text[close + run] === '`') close = text.indexOf(fence, close + run + 1);
        if (close !== -1) {
          let code = text.slice(i + run, close).replace(/\n/g, ' ');
          if (code.length > 2 && code[0] === ' ' && code[code.length - 1] === ' ' && code.trim()) code = code.slice(1, -1);
          flush();
          out.push(h('code', { text: dialect === DIALECTS.slack ? decodeEntities(code, dialect) : code }));
          i = close + run;
          continue;
        }
        plain += fence;
        i += run;
        continue;
      }
      if (dialect.links === 'markdown' && c === '[') {
        const parsed = markdownLink(text, i);
        if (parsed) {
          flush();
          out.push(link(parsed.url, inline(parsed.label, dialect)));
          i = parsed.end;
          continue;
        }
      }
      if (dialect.links === 'slack' && c === '<') {
        const close = text.indexOf('>', i);
        if (close !== -1) {
          const inside = text.slice(i + 1, close);
          const bar = inside.indexOf('|');
          const target = bar === -1 ? inside : inside.slice(0, bar);
          const label = bar === -1 ? target : inside.slice(bar + 1);
          flush();
          // Slack shows a date whose format it cannot read as its fallback text: Herald writes literal markers so.
          if (target.startsWith('!date^')) out.push(decodeEntities(label, dialect));
          else if (/^[!@#]/.test(target)) out.push(h('span', { class: 'mention', text: target[0] === '!' ? '@' + target.slice(1) : target }));
          else out.push(link(decodeEntities(target, dialect), decodeEntities(label, dialect)));
          i = close + 1;
          continue;
        }
      }
      const delimiter = dialect.delimiters.find(([marker]) => text.startsWith(marker, i));
      if (delimiter) {
        const [marker, tag, cls] = delimiter;
        const start = i + marker.length;
        const close = closingDelimiter(text, start, marker, dialect);
        if (close !== -1 && !/\s/.test(text[start] || ' ')) {
          flush();
          out.push(h(tag, { class: cls }, inline(text.slice(start, close), dialect)));
          i = close + marker.length;
          continue;
        }
        plain += marker;
        i += marker.length;
        continue;
      }
      if (c === '\n') {
        flush();
        out.push(h('br'));
        i += 1;
        continue;
      }
      plain += c;
      i += 1;
    }
    flush();
    return out;
  }

  function decodeEntities(text, dialect) {
    let result = '';
    for (let i = 0; i < text.length;) {
      const entity = text[i] === '&' ? entityAt(text, i, dialect.entities) : null;
      if (entity) {
        result += entity[0];
        i += entity[1];
      } else {
        result += text[i];
        i += 1;
      }
    }
    return result;
  }

  /** Where `marker` closes an emphasis opened before `from`: not after whitespace, skipping escapes and code. */
  function closingDelimiter(text, from, marker, dialect) {
    for (let i = from; i < text.length; i += 1) {
      if (text[i] === '\\' && dialect.escapable) {
        i += 1;
        continue;
      }
      if (text[i] === '`' || (text[i] === '<' && dialect.links === 'slack')) {
        const close = text.indexOf(text[i] === '<' ? '>' : '`', i + 1);
        if (close !== -1) i = close;
        continue;
      }
      if (i > from && text.startsWith(marker, i) && !/\s/.test(text[i - 1]) && !(marker.length === 1 && text[i + 1] === marker)) return i;
    }
    return -1;
  }

  /** `[label](url)` or `[label](<url>)` at `start`. */
  function markdownLink(text, start) {
    let depth = 0;
    for (let i = start; i < text.length; i += 1) {
      if (text[i] === '\\') {
        i += 1;
        continue;
      }
      if (text[i] === '[') depth += 1;
      if (text[i] === ']' && --depth === 0) {
        if (text[i + 1] !== '(') return null;
        const label = text.slice(start + 1, i);
        if (text[i + 2] === '<') {
          const close = text.indexOf('>)', i + 3);
          return close === -1 ? null : { label, url: text.slice(i + 3, close), end: close + 2 };
        }
        const close = text.indexOf(')', i + 2);
        return close === -1 ? null : { label, url: text.slice(i + 2, close).split(' ')[0], end: close + 1 };
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- block markup

  function isTableDelimiter(line) {
    return /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(line);
  }

  function tableCells(line) {
    const trimmed = line.trim().replace(/^\|/, '').replace(/(^|[^\\])\|$/, '$1');
    return trimmed.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
  }

  /** CommonMark with GFM tables, the part Herald emits: headings, paragraphs, hard breaks, fences, tables, quotes, lists. */
  function markdownBlocks(source, dialect = DIALECTS.markdown) {
    const lines = source.replace(/\r\n?/g, '\n').split('\n');
    const blocks = [];
    let paragraph = [];
    const endParagraph = () => {
      if (!paragraph.length) return;
      const text = paragraph.map((line, index) => {
        if (index === paragraph.length - 1) return line.replace(/\\$/, '').trimEnd();
        if (/(\\| {2,})$/.test(line)) return line.replace(/(\\| {2,})$/, '') + '\n';
        return line + ' ';
      }).join('');
      blocks.push(h('p', {}, inline(text.replace(/ \n/g, '\n').trimStart(), dialect)));
      paragraph = [];
    };
    for (let i = 0; i < lines.length; i += 1) {
      const line = lines[i];
      const fence = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/.exec(line);
      if (fence) {
        endParagraph();
        const body = [];
        let j = i + 1;
        while (j < lines.length && !lines[j].trim().startsWith(fence[1])) body.push(lines[j++]);
        blocks.push(h('pre', {}, h('code', { class: fence[2] ? 'language-' + fence[2] : null, text: body.join('\n') })));
        i = j;
        continue;
      }
      const heading = /^ {0,3}(#{1,6})\s+(.*?)(\s+#+\s*)?$/.exec(line);
      if (heading) {
        endParagraph();
        blocks.push(h('h' + Math.min(heading[1].length + 2, 6), { class: 'md-h' + heading[1].length }, inline(heading[2], dialect)));
        continue;
      }
      if (line.includes('|') && isTableDelimiter(lines[i + 1] || '')) {
        endParagraph();
        const head = tableCells(line);
        const rows = [];
        let j = i + 2;
        while (j < lines.length && lines[j].includes('|') && lines[j].trim()) rows.push(tableCells(lines[j++]));
        blocks.push(h('table', {},
          h('thead', {}, h('tr', {}, head.map((cell) => h('th', {}, inline(cell, dialect))))),
          h('tbody', {}, rows.map((row) => h('tr', {}, row.map((cell) => h('td', {}, inline(cell, dialect))))))));
        i = j - 1;
        continue;
      }
      if (/^ {0,3}>/.test(line)) {
        endParagraph();
        const quoted = [];
        let j = i;
        while (j < lines.length && /^ {0,3}>/.test(lines[j])) quoted.push(lines[j++].replace(/^ {0,3}> ?/, ''));
        blocks.push(h('blockquote', {}, markdownBlocks(quoted.join('\n'), dialect)));
        i = j - 1;
        continue;
      }
      const item = /^ {0,3}([-+*]|\d{1,9}[.)])\s+(.*)$/.exec(line);
      if (item && !/^ {0,3}([-*_])( *\1){2,} *$/.test(line)) {
        endParagraph();
        const ordered = /\d/.test(item[1]);
        const items = [];
        let j = i;
        let match;
        while (j < lines.length && (match = /^ {0,3}([-+*]|\d{1,9}[.)])\s+(.*)$/.exec(lines[j]))) {
          items.push(h('li', {}, inline(match[2], dialect)));
          j += 1;
        }
        blocks.push(h(ordered ? 'ol' : 'ul', {}, items));
        i = j - 1;
        continue;
      }
      if (/^ {0,3}([-*_])( *\1){2,} *$/.test(line)) {
        endParagraph();
        blocks.push(h('hr'));
        continue;
      }
      if (!line.trim()) endParagraph();
      else paragraph.push(line);
    }
    endParagraph();
    return blocks;
  }

  /** Chat markup where every line break shows (Discord, Slack): fenced code, quotes, Discord's headings. */
  function chatBlocks(source, dialect) {
    const out = [];
    const lines = String(source).split('\n');
    let text = [];
    const endText = () => {
      if (text.length) out.push(h('div', { class: 'chat-text' }, inline(text.join('\n'), dialect)));
      text = [];
    };
    for (let i = 0; i < lines.length; i += 1) {
      const line = lines[i];
      if (line.startsWith('```')) {
        endText();
        const body = [line.slice(3)];
        let j = i + 1;
        const closed = () => body[body.length - 1].endsWith('```') && (body.length > 1 || body[0].length >= 3);
        while (!closed() && j < lines.length) body.push(lines[j++]);
        let code = body.join('\n').replace(/```$/, '');
        if (dialect !== DIALECTS.slack) code = code.replace(/^[a-zA-Z0-9_+-]*\n/, '');
        else code = decodeEntities(code, dialect);
        out.push(h('pre', {}, h('code', { text: code.replace(/^\n/, '') })));
        i = j - 1;
        continue;
      }
      const quote = dialect === DIALECTS.slack ? /^(&gt;|>) ?(.*)$/.exec(line) : /^> (.*)$/.exec(line);
      if (quote) {
        endText();
        out.push(h('blockquote', {}, inline(quote[quote.length - 1], dialect)));
        continue;
      }
      const heading = dialect === DIALECTS.discord ? /^(#{1,3}) (.*)$/.exec(line) : null;
      if (heading) {
        endText();
        out.push(h('div', { class: 'discord-h' + heading[1].length }, inline(heading[2], dialect)));
        continue;
      }
      const subtext = dialect === DIALECTS.discord ? /^-# (.*)$/.exec(line) : null;
      if (subtext) {
        endText();
        out.push(h('div', { class: 'discord-subtext' }, inline(subtext[1], dialect)));
        continue;
      }
      text.push(line);
    }
    endText();
    return out;
  }

  // ---------------------------------------------------------------- MIME (the e-mail's RFC 5322 message)

  function bytesOfBinaryString(text) {
    return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  }

  function decodeQuotedPrintable(text) {
    const soft = text.replace(/=\r?\n/g, '');
    const bytes = [];
    const encoder = new TextEncoder();
    for (let i = 0; i < soft.length; i += 1) {
      if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
        bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.push(...encoder.encode(soft[i]));
      }
    }
    return Uint8Array.from(bytes);
  }

  function decodeWords(value) {
    return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=(\s+(?==\?))?/g, (_, charset, encoding, text) => {
      try {
        const bytes = encoding.toUpperCase() === 'B' ? bytesOfBinaryString(atob(text)) : decodeQuotedPrintable(text.replace(/_/g, ' '));
        return new TextDecoder(charset).decode(bytes);
      } catch {
        return text;
      }
    });
  }

  /** Header fields (names lower-cased, unfolded) and body of one entity. */
  function mimeEntity(raw) {
    const text = raw.replace(/\r\n/g, '\n');
    const split = text.indexOf('\n\n');
    const head = split === -1 ? text : text.slice(0, split);
    const body = split === -1 ? '' : text.slice(split + 2);
    const headers = {};
    for (const field of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
      const colon = field.indexOf(':');
      if (colon > 0) headers[field.slice(0, colon).trim().toLowerCase()] = field.slice(colon + 1).trim();
    }
    const type = (headers['content-type'] || 'text/plain').split(';')[0].trim().toLowerCase();
    const parameter = (name) => {
      const match = new RegExp(';\\s*' + name + '="?([^";]*)"?', 'i').exec(headers['content-type'] || '');
      return match ? match[1] : null;
    };
    const entity = { headers, type, charset: parameter('charset') || 'utf-8', body, parts: [] };
    if (type.startsWith('multipart/') && parameter('boundary')) {
      const delimiter = '--' + parameter('boundary');
      const pieces = body.split('\n');
      let current = null;
      for (const line of pieces) {
        if (line === delimiter || line === delimiter + '--') {
          if (current) entity.parts.push(mimeEntity(current.join('\n')));
          current = line === delimiter ? [] : null;
        } else if (current) {
          current.push(line);
        }
      }
    }
    return entity;
  }

  function entityBytes(entity) {
    const encoding = (entity.headers['content-transfer-encoding'] || '7bit').toLowerCase();
    if (encoding === 'quoted-printable') return decodeQuotedPrintable(entity.body);
    if (encoding === 'base64') return bytesOfBinaryString(atob(entity.body.replace(/\s+/g, '')));
    return new TextEncoder().encode(entity.body);
  }

  function leaves(entity) {
    return entity.parts.length ? entity.parts.flatMap(leaves) : [entity];
  }

  const EMAIL_RULES = (() => {
    const rules = {};
    for (const tag of ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'del', 'code', 'pre', 'ul', 'ol', 'li', 'blockquote', 'h1', 'h2',
      'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'figure', 'figcaption', 'hr', 'sub', 'sup', 'mark', 'small', 'div']) {
      rules[tag] = { style: anyText };
    }
    rules.span = { style: anyText };
    rules.td = { style: anyText, colspan: (v) => (/^\d+$/.test(v) ? v : null) };
    rules.th = rules.td;
    rules.a = { href: hrefCheck, style: anyText };
    rules.img = { src: anyText, alt: anyText, width: (v) => (/^\d+$/.test(v) ? v : null), height: (v) => (/^\d+$/.test(v) ? v : null), style: anyText };
    return rules;
  })();

  // ---------------------------------------------------------------- the services

  const SCILOG_RULES = {
    p: {}, br: {}, strong: {}, i: {}, em: {}, u: {}, s: {}, code: { class: (v) => (/^language-[\w+-]+$/.test(v) ? v : null) },
    sub: {}, sup: {}, ul: {}, ol: {}, li: {}, blockquote: {}, h2: {}, h3: {}, h4: {}, pre: {},
    a: { href: hrefCheck, class: oneOf('fileLink') },
    mark: { class: oneOf('pen-red', 'pen-green', 'marker-yellow', 'marker-pink', 'marker-blue') },
    figure: { class: oneOf('table', 'image', 'image_resized') }, figcaption: {}, table: {}, tbody: {}, tr: {}, td: {}, th: {},
    img: { title: anyText },
  };

  const TELEGRAM_RULES = {
    b: {}, strong: {}, i: {}, em: {}, u: {}, ins: {}, s: {}, strike: {}, del: {}, code: { class: (v) => (/^language-[\w+-]+$/.test(v) ? v : null) },
    pre: {}, blockquote: {}, a: { href: hrefCheck }, span: { class: oneOf('tg-spoiler') }, 'tg-spoiler': {},
  };

  const PUSHOVER_RULES = { b: {}, i: {}, u: {}, a: { href: hrefCheck }, font: { color: (v) => (/^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$/.test(v) ? v : null) } };

  const TEAMS_COLORS = ['default', 'dark', 'light', 'accent', 'good', 'warning', 'attention'];
  const TEAMS_SIZES = ['small', 'default', 'medium', 'large', 'extralarge'];

  function teamsTextClasses(item) {
    const classes = [];
    if (String(item.weight).toLowerCase() === 'bolder') classes.push('s-bold');
    if (String(item.weight).toLowerCase() === 'lighter') classes.push('s-light');
    if (item.italic) classes.push('s-italic');
    if (item.strikethrough) classes.push('s-strike');
    if (item.underline) classes.push('s-underline');
    if (item.highlight) classes.push('s-highlight');
    if (String(item.fontType).toLowerCase() === 'monospace') classes.push('s-mono');
    if (item.isSubtle) classes.push('t-subtle');
    const color = String(item.color || 'default').toLowerCase();
    if (TEAMS_COLORS.includes(color) && color !== 'default') classes.push('t-' + color);
    const size = String(item.size || 'default').toLowerCase();
    if (TEAMS_SIZES.includes(size) && size !== 'default') classes.push('t-size-' + size);
    return classes;
  }

  function teamsStyleName(item) {
    const names = [];
    if (String(item.weight).toLowerCase() === 'bolder') names.push('bold');
    if (item.italic) names.push('italic');
    if (item.strikethrough) names.push('strike');
    if (String(item.fontType).toLowerCase() === 'monospace') names.push('mono');
    if (item.color && String(item.color).toLowerCase() !== 'default') names.push(String(item.color).toLowerCase());
    return names.join(' ') || null;
  }

  function teamsElement(element) {
    if (!element || typeof element !== 'object') return null;
    const spacing = element.separator ? ' t-separator' : '';
    switch (element.type) {
      case 'TextBlock':
        return h('div', { class: ['t-textblock', ...teamsTextClasses(element)].join(' ') + spacing, 'data-style': teamsStyleName(element) },
          String(element.text ?? ''));
      case 'RichTextBlock':
        return h('p', { class: 't-richtext' + spacing }, (element.inlines || []).map((run) => {
          if (typeof run === 'string') return run;
          const span = h('span', { class: teamsTextClasses(run).join(' '), 'data-style': teamsStyleName(run) }, String(run.text ?? ''));
          const action = run.selectAction;
          return action && action.type === 'Action.OpenUrl' ? link(action.url, span) : span;
        }));
      case 'ColumnSet':
        return h('div', { class: 't-columnset' + spacing }, (element.columns || []).map((column) => {
          const node = h('div', { class: 't-column' }, (column.items || []).map(teamsElement));
          if (/^\d+$/.test(String(column.width))) node.style.flexGrow = String(column.width);
          else if (column.width === 'auto') node.classList.add('t-auto');
          return node;
        }));
      case 'Container':
        return h('div', { class: 't-container' + spacing + (element.style ? ' t-container-' + String(element.style).toLowerCase() : '') },
          (element.items || []).map(teamsElement));
      case 'Image':
        return h('div', { class: 't-image' + spacing }, image(element.url, element.altText, element.width, element.height));
      case 'FactSet':
        return h('dl', { class: 't-factset' + spacing }, (element.facts || []).map((fact) => [
          h('dt', { text: String(fact.title ?? '') }), h('dd', { text: String(fact.value ?? '') })]));
      case 'ActionSet':
        return h('div', { class: 't-actions' }, (element.actions || []).map(teamsAction));
      default:
        return h('div', { class: 't-unknown', text: '[' + String(element.type) + ' not drawn]' });
    }
  }

  function teamsAction(action) {
    const title = String(action.title ?? action.url ?? action.type);
    return action.type === 'Action.OpenUrl' ? link(action.url, h('span', { class: 't-button', text: title })) : h('span', { class: 't-button', text: title });
  }

  function signalText(message, styles) {
    const text = String(message ?? '');
    const ranges = (styles || []).map((entry) => {
      const [start, length, style] = String(entry).split(':');
      return { start: Number(start), end: Number(start) + Number(length), style: String(style).toLowerCase() };
    }).filter((range) => Number.isInteger(range.start) && Number.isInteger(range.end));
    // Offsets count UTF-16 code units, which is what JavaScript strings index.
    const cuts = new Set([0, text.length]);
    for (const range of ranges) {
      cuts.add(Math.max(0, Math.min(text.length, range.start)));
      cuts.add(Math.max(0, Math.min(text.length, range.end)));
    }
    const points = [...cuts].sort((a, b) => a - b);
    const out = [];
    for (let i = 0; i + 1 < points.length; i += 1) {
      const [from, to] = [points[i], points[i + 1]];
      const active = ranges.filter((range) => range.start <= from && range.end >= to).map((range) => range.style);
      const piece = text.slice(from, to);
      if (!active.length) {
        out.push(piece);
        continue;
      }
      const classes = active.map((style) => ({ bold: 's-bold', italic: 's-italic', strikethrough: 's-strike', monospace: 's-mono', spoiler: 'spoiler' })[style] || '');
      out.push(h('span', { class: classes.join(' '), 'data-style': active.join(' ') }, piece));
    }
    return out;
  }

  function attachmentsOf(dataURIs) {
    return (dataURIs || []).map((uri) => {
      const match = /^data:([^;,]+)(?:;filename=([^;,]*))?/.exec(String(uri));
      const name = match && match[2] ? decodeURIComponent(match[2]) : 'attachment';
      if (match && /^image\/(png|jpeg|gif|webp)$/.test(match[1])) {
        return image(String(uri).replace(/;filename=[^;,]*/, ''), name);
      }
      return fileChip(name, match ? match[1] : '');
    });
  }

  function gsmSegments(text) {
    const basic = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
    const extension = '\f^{}\\[~]|€';
    let septets = 0;
    for (const c of text) {
      if (basic.includes(c)) septets += 1;
      else if (extension.includes(c)) septets += 2;
      else return null;
    }
    return septets;
  }

  /** The SMS body's encoding and segment count: GSM-7 160/153 septets, else UCS-2 70/67 UTF-16 units. */
  function smsSegments(text) {
    const septets = gsmSegments(text);
    if (septets !== null) return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
    return { encoding: 'UCS-2', units: text.length, segments: text.length <= 70 ? 1 : Math.ceil(text.length / 67) };
  }

  const SERVICES = {
    markdown: {
      draw: (payload) => h('div', { class: 'markdown-body' }, markdownBlocks(String(payload))),
    },
    signal: {
      draw: (payload) => h('div', { class: 'phone' }, h('div', { class: 'bubble signal' },
        attachmentsOf(payload.attachments), h('div', { class: 'bubble-text' }, signalText(payload.message, payload.textStyle)))),
    },
    scilog: {
      draw: (payload) => {
        const files = new Map((payload.files || []).map((file) => [file.fileHash, file]));
        const content = h('div', { class: 'scilog-content' }, sanitized(String(payload.textcontent ?? ''), SCILOG_RULES));
        for (const img of content.querySelectorAll('img')) {
          const file = files.get(img.getAttribute('title'));
          const label = file ? file.fileExtension + ', ' + ((file.style && file.style.width) || 'original size') : 'no file entry';
          img.replaceWith(fileChip('image ' + String(img.getAttribute('title')).slice(0, 12) + '…', '(' + label + ', uploaded beside the entry)'));
        }
        for (const anchor of content.querySelectorAll('a.fileLink')) {
          anchor.replaceWith(fileChip(anchor.textContent, '(file, uploaded beside the entry)'));
        }
        return h('article', { class: 'scilog-entry' },
          h('div', { class: 'scilog-meta', text: 'Paragraph · ' + String(payload.snippetType ?? '') }), content,
          h('div', { class: 'scilog-tags' }, (payload.tags || []).map((tag) => h('span', { class: 'tag', text: String(tag) }))));
      },
    },
    teams: {
      draw: (payload) => h('div', { class: 'teams-host' }, (payload.attachments || []).map((attachment) => {
        const card = attachment.content || {};
        return h('div', { class: 'teams-card' }, (card.body || []).map(teamsElement),
          card.actions ? h('div', { class: 't-actions' }, card.actions.map(teamsAction)) : null);
      })),
    },
    telegram: {
      messages: (payload) => (Array.isArray(payload) && Array.isArray(payload[0]) ? payload : [payload]),
      draw: (calls) => h('div', { class: 'chat telegram' }, [].concat(calls).map((call) => {
        const html = (text) => {
          const node = h('div', { class: 'tg-text' });
          node.append(call.parse_mode === 'HTML' ? sanitized(String(text ?? ''), TELEGRAM_RULES, { 'tg-spoiler': 'span' }) : String(text ?? ''));
          for (const spoiler of node.querySelectorAll('span.tg-spoiler')) spoiler.className = 'spoiler';
          return node;
        };
        const media = [];
        if (call.photo) media.push(fileChip('photo', '(' + String(call.photo) + ')'));
        if (call.document) media.push(fileChip('document', '(' + String(call.document) + ')'));
        for (const item of call.media || []) media.push(fileChip(String(item.type), '(' + String(item.media) + ')'), item.caption ? html(item.caption) : null);
        if (call.sticker) media.push(fileChip('sticker', String(call.sticker)));
        const caption = call.caption !== undefined ? html(call.caption) : null;
        const ordered = call.show_caption_above_media ? [caption, media] : [media, caption];
        return h('div', { class: 'bubble tg' }, h('div', { class: 'tg-method', text: String(call.method ?? '') }),
          call.text !== undefined ? html(call.text) : ordered);
      })),
    },
    slack: {
      draw: (payload) => {
        const text = (object) => (object && object.type === 'plain_text' ? String(object.text ?? '') : chatBlocks(String(object?.text ?? ''), DIALECTS.slack));
        const block = (item) => {
          switch (item.type) {
            case 'header': return h('div', { class: 'slack-header', text: String(item.text?.text ?? '') });
            case 'section': return h('div', { class: 'slack-section' }, item.text ? text(item.text) : null,
              item.fields ? h('div', { class: 'slack-fields' }, item.fields.map((field) => h('div', {}, text(field)))) : null);
            case 'context': return h('div', { class: 'slack-context' }, (item.elements || []).map((element) => (element.type === 'image' ? image(element.image_url, element.alt_text) : h('span', {}, text(element)))));
            case 'divider': return h('hr');
            case 'image': return h('div', {}, image(item.image_url, item.alt_text));
            default: return h('div', { class: 't-unknown', text: '[' + String(item.type) + ' block not drawn]' });
          }
        };
        const blocks = payload.blocks && payload.blocks.length ? payload.blocks.map(block) : chatBlocks(String(payload.text ?? ''), DIALECTS.slack);
        return h('div', { class: 'chat slack' }, h('div', { class: 'chat-author', text: 'Herald APP' }), blocks,
          (payload.attachments || []).map((attachment) => h('div', { class: 'slack-attachment' }, (attachment.blocks || []).map(block))));
      },
    },
    discord: {
      draw: (payload) => h('div', { class: 'chat discord' }, h('div', { class: 'chat-author', text: String(payload.username ?? 'Herald') + ' BOT' }),
        payload.content ? chatBlocks(String(payload.content), DIALECTS.discord) : null,
        (payload.embeds || []).map((embed) => {
          const node = h('div', { class: 'discord-embed' },
            embed.author ? h('div', { class: 'discord-author', text: String(embed.author.name ?? '') }) : null,
            embed.title !== undefined ? h('div', { class: 'discord-title' }, embed.url ? link(embed.url, inline(String(embed.title), DIALECTS.discord)) : inline(String(embed.title), DIALECTS.discord)) : null,
            embed.description !== undefined ? h('div', { class: 'discord-description' }, chatBlocks(String(embed.description), DIALECTS.discord)) : null,
            embed.fields ? h('div', { class: 'discord-fields' }, embed.fields.map((field) => h('div', { class: field.inline ? 'discord-field inline' : 'discord-field' },
              h('div', { class: 'discord-field-name' }, inline(String(field.name ?? ''), DIALECTS.discord)),
              h('div', {}, chatBlocks(String(field.value ?? ''), DIALECTS.discord))))) : null,
            embed.image ? fileChip('image', '(' + String(embed.image.url ?? '') + ')') : null,
            embed.footer ? h('div', { class: 'discord-footer', text: String(embed.footer.text ?? '') }) : null);
          if (Number.isInteger(embed.color)) node.style.borderLeftColor = '#' + embed.color.toString(16).padStart(6, '0');
          return node;
        }),
        (payload.attachments || []).map((file) => fileChip(String(file.filename ?? 'file'), '(sent with the message)'))),
    },
    pushover: {
      draw: (payload) => h('div', { class: 'notification pushover' },
        h('div', { class: 'notification-app', text: 'Pushover' + (payload.priority !== undefined ? ' · priority ' + String(payload.priority) : '') }),
        h('div', { class: 'notification-title', text: String(payload.title ?? 'Herald') }),
        h('div', { class: 'notification-body' }, String(payload.html) === '1' ? sanitized(String(payload.message ?? ''), PUSHOVER_RULES) : String(payload.message ?? '')),
        payload.url ? h('div', {}, link(payload.url, String(payload.url_title ?? payload.url))) : null,
        payload.attachment ? fileChip(String(payload.attachment), '(image attached)') : null),
    },
    pushbullet: {
      draw: (payload) => h('div', { class: 'notification pushbullet' },
        h('div', { class: 'notification-app', text: 'Pushbullet · ' + String(payload.type ?? '') }),
        payload.title !== undefined ? h('div', { class: 'notification-title', text: String(payload.title) }) : null,
        payload.file_name ? fileChip(String(payload.file_name), '(' + String(payload.file_type ?? '') + ')') : null,
        h('div', { class: 'notification-body', text: String(payload.body ?? '') }),
        payload.url ? h('div', {}, link(payload.url, String(payload.url))) : null),
    },
    sms: {
      draw: (payload) => {
        const body = String(payload.Body ?? '');
        const count = smsSegments(body);
        return h('div', { class: 'phone' }, h('div', { class: 'bubble sms', text: body }),
          h('p', { class: 'sms-count', text: `${count.segments} segment${count.segments === 1 ? '' : 's'}, ${count.encoding}, ${count.units} ${count.encoding === 'GSM-7' ? 'septets' : 'UTF-16 units'}` }));
      },
    },
    email: {
      draw: (payload) => {
        const root = mimeEntity(String(payload));
        const parts = leaves(root);
        const images = new Map();
        for (const part of parts) {
          const id = (part.headers['content-id'] || '').replace(/^<|>$/g, '');
          if (id && part.type.startsWith('image/')) {
            const bytes = entityBytes(part);
            let binary = '';
            for (const byte of bytes) binary += String.fromCharCode(byte);
            images.set(id, 'data:' + part.type + ';base64,' + btoa(binary));
          }
        }
        const htmlPart = parts.find((part) => part.type === 'text/html' && !/attachment/i.test(part.headers['content-disposition'] || ''));
        const textPart = parts.find((part) => part.type === 'text/plain');
        const decode = (part) => new TextDecoder(part.charset).decode(entityBytes(part));
        const body = h('div', { class: 'email-body' });
        if (htmlPart) {
          body.append(sanitized(decode(htmlPart), EMAIL_RULES));
          for (const img of body.querySelectorAll('img')) {
            const src = img.getAttribute('data-herald-src') || '';
            img.removeAttribute('data-herald-src');
            const inlineImage = src.startsWith('cid:') ? images.get(decodeURIComponent(src.slice(4))) : safeImage(src);
            if (inlineImage) img.setAttribute('src', inlineImage);
            else img.replaceWith(fileChip(img.getAttribute('alt') || 'image', '(not shown: ' + src.slice(0, 40) + ')'));
          }
        } else if (textPart) {
          body.append(h('pre', { class: 'email-text', text: decode(textPart) }));
        }
        const attachments = parts.filter((part) => /attachment/i.test(part.headers['content-disposition'] || ''));
        const field = (name, label) => (root.headers[name] ? h('div', {}, h('span', { class: 'email-label', text: label + ': ' }), decodeWords(root.headers[name])) : null);
        return h('div', { class: 'email' }, h('div', { class: 'email-headers' }, field('from', 'From'), field('to', 'To'), field('subject', 'Subject')),
          body, attachments.map((part) => fileChip(decodeWords(/filename="?([^";]*)"?/.exec(part.headers['content-disposition'])?.[1] || 'attachment'), '(' + part.type + ')')));
      },
    },
    webhook: {
      draw: (payload) => h('pre', { class: 'json', text: JSON.stringify(payload, null, 2) }),
    },
  };

  const FALLBACK = { draw: (payload) => h('pre', { class: 'json', text: typeof payload === 'string' ? payload : JSON.stringify(payload, null, 2) }) };

  // ---------------------------------------------------------------- panes and reports

  /** `parts[0] "Robot arm stopped": ...` → the quoted text up to its first escape or ellipsis, or null. */
  function subjectOf(degradation) {
    const match = /^\S+ "((?:[^"\\]|\\.)*)":/.exec(String(degradation.message ?? ''));
    if (!match) return null;
    const subject = match[1].split('\\')[0].replace(/…$/, '');
    return subject.length >= 2 ? subject.slice(0, 40) : null;
  }

  /**
   * Wraps the first text in `pane` that contains `subject` in a mark followed by the note's number (a mark made for
   * an earlier note on the same text gets the number too); null when no text node holds it.
   */
  function markLost(pane, subject, number, noteId) {
    const marker = h('sup', { class: 'lost-marker', text: '⚠' + number });
    const marked = [...pane.querySelectorAll('mark.lost')].find((mark) => mark.dataset.subject === subject);
    if (marked) {
      marked.append(marker);
      marked.setAttribute('aria-describedby', marked.getAttribute('aria-describedby') + ' ' + noteId);
      return marked;
    }
    pane.normalize();
    const walker = document.createTreeWalker(pane, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(subject);
      if (at === -1 || node.parentElement.closest('.lost')) continue;
      const target = node.splitText(at);
      target.splitText(subject.length);
      const mark = h('mark', { class: 'lost', 'data-subject': subject, 'aria-describedby': noteId });
      target.replaceWith(mark);
      mark.append(target, marker);
      return mark;
    }
    return null;
  }

  function report(service, degradations, pane, paneId) {
    const list = h('ol', { class: 'notes' });
    degradations.forEach((degradation, index) => {
      const number = index + 1;
      const noteId = `${paneId}-note-${number}`;
      const subject = subjectOf(degradation);
      const mark = subject ? markLost(pane, subject, number, noteId) : null;
      const item = h('li', { id: noteId, tabindex: '0', 'data-kind': String(degradation.kind) },
        h('span', { class: 'note-marker', text: '⚠' + number + ' ' }), h('code', { text: String(degradation.kind) }), ' ', String(degradation.message),
        mark ? null : h('span', { class: 'note-unlocated', text: ' (not located in the preview)' }));
      if (mark) {
        const on = () => mark.classList.add('active');
        const off = () => mark.classList.remove('active');
        item.addEventListener('mouseenter', on);
        item.addEventListener('focus', on);
        item.addEventListener('mouseleave', off);
        item.addEventListener('blur', off);
      }
      list.append(item);
    });
    return h('aside', { class: 'report', 'aria-label': `What ${NAMES[service] || service} cannot show` },
      h('h4', { text: degradations.length ? `Not shown as sent (${degradations.length})` : 'Nothing lost' }),
      degradations.length ? list : null);
  }

  function serviceSection(rendering) {
    const service = String(rendering.service);
    const name = NAMES[service] || service;
    const renderer = SERVICES[service] || FALLBACK;
    const paneId = 'pane-' + service.replace(/[^a-z0-9-]/gi, '');
    const payload = rendering.payload;
    const messages = renderer.messages ? renderer.messages(payload) : Array.isArray(payload) ? payload : [payload];
    const pane = h('div', { class: 'pane', id: paneId + '-preview' });
    messages.forEach((message, index) => {
      const drawn = h('div', { class: 'message' }, messages.length > 1 ? h('div', { class: 'message-count', text: `message ${index + 1} of ${messages.length}` }) : null);
      try {
        drawn.append(renderer.draw(message));
      } catch (error) {
        drawn.append(h('p', { class: 'error', text: 'This payload could not be drawn: ' + String(error && error.message) }));
      }
      pane.append(drawn);
    });
    const payloadText = typeof payload === 'string' ? payload : JSON.stringify(payload, null, 2);
    const exact = h('pre', { class: 'payload', id: paneId + '-payload', hidden: true, text: payloadText, tabindex: '0' });
    const toggle = h('button', { type: 'button', class: 'payload-toggle', 'aria-expanded': 'false', 'aria-controls': exact.id, text: 'Show the exact payload' });
    toggle.addEventListener('click', () => {
      const showing = exact.hidden;
      exact.hidden = !showing;
      toggle.setAttribute('aria-expanded', String(showing));
      toggle.textContent = showing ? 'Hide the exact payload' : 'Show the exact payload';
    });
    const aside = report(service, rendering.degradations || [], pane, paneId);
    return h('section', { class: 'service', id: paneId, 'data-service': service, 'aria-labelledby': paneId + '-heading' },
      h('h3', { id: paneId + '-heading', text: name }), h('div', { class: 'service-body' }, pane, aside), toggle, exact);
  }

  function showRenderings(renderings) {
    const results = document.getElementById('results');
    results.replaceChildren(...[].concat(renderings).map(serviceSection));
  }

  // ---------------------------------------------------------------- channels: destinations, toggles, test messages

  /**
   * Calls Herald's API with the token field's token (kept in this tab's sessionStorage); `{ok, status, answer}`, the
   * answer parsed JSON or null, a server that does not answer as a problem like the API's own.
   */
  async function callAPI(method, path, body) {
    const token = document.getElementById('token').value.trim();
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    const headers = token ? { Authorization: 'Bearer ' + token } : {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, { method, body, credentials: 'omit', cache: 'no-store', headers });
    } catch (error) {
      return { ok: false, status: 0, answer: { error: { message: 'the server did not answer: ' + String(error && error.message), path: '' } } };
    }
    const answer = response.status === 204 ? null : await response.json().catch(() => null);
    return { ok: response.ok, status: response.status, answer };
  }

  /** The API's `{code, message, path}` of a refused call (a bare HTTP status when the body has none). */
  function problemOf(result) {
    return result.answer && result.answer.error ? result.answer.error : { message: 'HTTP ' + result.status, path: '' };
  }

  function problemLine(problem) {
    return 'error: ' + (problem.path ? problem.path + ': ' : '') + String(problem.message);
  }

  /** A status line: a live region, an `alert` for an error, the error marked by a sign as well as by color. */
  function showStatus(node, text, isError) {
    node.textContent = text;
    node.classList.toggle('error', Boolean(isError));
    node.setAttribute('role', isError ? 'alert' : 'status');
  }

  const destinationPath = (service, name) => 'v1/destinations/' + encodeURIComponent(service) + '/' + encodeURIComponent(name);

  /** A setting's typed text: what reads as JSON (a number, true, a list) is that JSON, anything else the text. */
  function settingValue(text) {
    if (/^(true|false|null|-?\d+(\.\d+)?|\[.*\]|\{.*\})$/s.test(text.trim())) {
      try { return JSON.parse(text); } catch { return text; }
    }
    return text;
  }

  /** Marks `input` as invalid with `problem` shown in `error`, or clears both when `problem` is null. */
  function markField(input, error, problem) {
    error.hidden = !problem;
    error.textContent = '';
    if (!problem) {
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
      return;
    }
    showStatus(error, problemLine(problem), true);
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', error.id);
  }

  let editorCount = 0;
  /**
   * Rows of setting name and value for a destination's `config`, as the destinations file's
   * `services.<service>.scopes.<name>` takes them (a secret inline: `url`, not `url_env`), after one labelled input per
   * scope setting the service's plugin declares (`configuration_fields` of `GET /v1/services`; `declare` sets them).
   * The server's plugin checks them (`validateConfig`); `showProblem` puts its error beside the field or row it names
   * (`config.<setting>`), naming an empty row or adding one when the setting is not on the form.
   */
  function settingsEditor(label) {
    editorCount += 1;
    const prefix = 'settings-' + editorCount;
    const declared = h('div', { class: 'declared-settings' });
    const rows = h('div', { class: 'setting-rows' });
    const element = h('fieldset', { class: 'settings', id: prefix }, h('legend', { text: label }), declared,
      h('p', { class: 'hint', text: 'Other settings: a setting the service needs and the form lacks is added as a row when the server names it.' }), rows);
    let inputs = [];
    /** One labelled input per declared field: its help line, a password input for a secret, required marked. */
    function declare(fields) {
      inputs = fields.map((field) => {
        const id = prefix + '-field-' + field.name;
        const input = h('input', {
          id, type: field.is_secret ? 'password' : 'text', class: 'setting-field', 'data-setting': field.name, autocomplete: 'off', spellcheck: 'false',
          'aria-describedby': id + '-help',
        });
        if (field.is_required) input.setAttribute('aria-required', 'true');
        if (field.example !== undefined) input.placeholder = typeof field.example === 'string' ? field.example : JSON.stringify(field.example);
        const others = fields.filter((other) => field.alternative && other.alternative === field.alternative && other !== field).map((other) => other.name);
        const help = field.help + (others.length ? ' Give it or ' + others.join(' or ') + ', not both.' : '');
        const error = h('p', { id: id + '-error', class: 'field-error', hidden: true });
        const item = h('div', { class: 'setting-declared' },
          h('label', { for: id, text: field.name + (field.is_required ? ' (required)' : '') + (field.is_secret ? ' (secret)' : '') }), input,
          h('p', { id: id + '-help', class: 'hint', text: help }), error);
        return { field, input, error, item };
      });
      declared.replaceChildren(...inputs.map((entry) => entry.item));
    }
    let rowCount = 0;
    function addRow(name, value) {
      rowCount += 1;
      const id = prefix + '-' + rowCount;
      const nameInput = h('input', { id: id + '-name', type: 'text', class: 'setting-name', autocomplete: 'off', spellcheck: 'false' });
      const valueInput = h('input', { id: id + '-value', type: 'text', class: 'setting-value', autocomplete: 'off', spellcheck: 'false' });
      nameInput.value = name || '';
      valueInput.value = value === undefined || value === null ? '' : (typeof value === 'string' ? value : JSON.stringify(value));
      const error = h('p', { id: id + '-error', class: 'field-error', hidden: true });
      const remove = h('button', { type: 'button', text: 'Remove setting ' + rowCount });
      const row = h('div', { class: 'setting', 'data-row': String(rowCount) },
        h('label', { for: id + '-name', text: 'Setting ' + rowCount + ' name' }), nameInput,
        h('label', { for: id + '-value', text: 'Setting ' + rowCount + ' value' }), valueInput, remove, error);
      remove.addEventListener('click', () => row.remove());
      rows.append(row);
      return row;
    }
    const add = h('button', { type: 'button', text: 'Add a setting' });
    add.addEventListener('click', () => addRow().querySelector('.setting-name').focus());
    element.append(add);
    return {
      element,
      addRow,
      declare,
      /** The settings as an object (declared fields left empty are not sent); a value that reads as JSON is that JSON. */
      read() {
        const config = {};
        for (const { field, input } of inputs) {
          if (input.value.trim()) config[field.name] = settingValue(input.value);
        }
        for (const row of rows.querySelectorAll('.setting')) {
          const name = row.querySelector('.setting-name').value.trim();
          if (name) config[name] = settingValue(row.querySelector('.setting-value').value);
        }
        return config;
      },
      /** Clears every error; puts `problem` beside the field or row its `config.<setting>` path names. True when placed. */
      showProblem(problem) {
        for (const { input, error } of inputs) {
          markField(input, error, null);
          input.setAttribute('aria-describedby', input.id + '-help');
        }
        for (const row of rows.querySelectorAll('.setting')) markField(row.querySelector('.setting-value'), row.querySelector('.field-error'), null);
        const match = problem && /^config\.([^.[]+)/.exec(problem.path || '');
        if (!match) return false;
        const field = inputs.find((entry) => entry.field.name === match[1]);
        if (field) {
          markField(field.input, field.error, problem);
          field.input.setAttribute('aria-describedby', field.error.id + ' ' + field.input.id + '-help');
          return true;
        }
        const named = (name) => [...rows.querySelectorAll('.setting')].find((candidate) => candidate.querySelector('.setting-name').value.trim() === name);
        let row = named(match[1]);
        if (!row && named('')) {
          row = named('');
          row.querySelector('.setting-name').value = match[1];
        }
        row = row || addRow(match[1]);
        markField(row.querySelector('.setting-value'), row.querySelector('.field-error'), problem);
        return true;
      },
    };
  }

  /** One feature toggle: a checkbox, its state in words (on or off, default or set), and a way back to the default. */
  function toggleControl(destination, toggle, status, redraw) {
    const id = 'toggle-' + destination.service + '-' + destination.name + '-' + toggle.feature;
    const box = h('input', { id, type: 'checkbox', class: 'toggle', 'data-feature': toggle.feature });
    box.checked = toggle.on;
    const state = h('span', { class: 'toggle-state', text: (toggle.on ? 'on' : 'off') + ', ' + (toggle.default ? 'the default' : 'set here') });
    const change = async (value, what) => {
      const result = await callAPI('PUT', destinationPath(destination.service, destination.name) + '/toggles',
        JSON.stringify({ [toggle.feature]: value }));
      if (!result.ok) {
        box.checked = toggle.on;
        showStatus(status, problemLine(problemOf(result)), true);
        return;
      }
      showStatus(status, `Feature ${toggle.name || toggle.feature} ${what}.`);
      redraw(result.answer.toggles);
    };
    box.addEventListener('change', () => change(box.checked, box.checked ? 'turned on' : 'turned off'));
    const item = h('li', { class: 'toggle-item' }, h('label', { class: 'inline', for: id }, box, ' ' + (toggle.name || toggle.feature)), ' ', state);
    if (!toggle.default) {
      const reset = h('button', { type: 'button', text: 'Back to the default for ' + (toggle.name || toggle.feature) });
      reset.addEventListener('click', () => change(null, 'back to its default'));
      item.append(' ', reset);
    }
    return item;
  }

  const RECENT_DELIVERIES = 10;
  /** Each delivery state in words with a sign, so it reads the same without color. */
  const DELIVERY_STATES = {
    delivered: '✓ delivered', failed: '✗ failed', pending: '… pending', sending: '↻ sending', interrupted: '⚠ interrupted',
  };

  /** One delivery: its state, event, notification, attempts and the service's last answer (redacted by the server). */
  function deliveryItem(delivery) {
    if (delivery.state === 'unreadable') return h('li', { class: 'delivery' }, '⚠ unreadable row ' + String(delivery.id) + ': ' + String(delivery.reason));
    return h('li', { class: 'delivery', 'data-state': delivery.state },
      h('strong', { class: 'delivery-state state-' + delivery.state, text: DELIVERY_STATES[delivery.state] || delivery.state }),
      ' ' + String(delivery.event) + ' · ' + String(delivery.created_at) + ' · ',
      `${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}`,
      delivery.last_error ? h('span', { class: 'delivery-error', text: ' · last answer: ' + delivery.last_error }) : null);
  }

  /** One destination's card: settings, environment, toggles, test message; settings changeable when created through the API. */
  function channelCard(destination, service, reload) {
    const title = (NAMES[destination.service] || destination.service) + ' · ' + destination.name;
    const status = h('p', { class: 'channel-status', role: 'status', 'aria-live': 'polite' });
    const card = h('article', { class: 'channel', 'data-destination': destination.service + '/' + destination.name, 'aria-label': title },
      h('h3', { text: title }),
      h('p', { class: 'origin', text: destination.origin === 'api' ? 'Created through the API.' : 'From the destinations file (changed there only).' }));
    if (destination.problem) card.append(h('p', { class: 'channel-problem', text: '⚠ Cannot be used: ' + destination.problem }));

    const settings = h('dl', { class: 'channel-settings' });
    for (const [name, value] of Object.entries(destination.config || {})) {
      settings.append(h('dt', { text: name }), h('dd', { text: typeof value === 'string' ? value : JSON.stringify(value) }));
    }
    for (const name of destination.secret_settings || []) settings.append(h('dt', { text: name }), h('dd', { text: 'set (secret, never shown)' }));
    if (settings.childElementCount) card.append(h('h4', { text: 'Settings' }), settings);

    // The service-wide variables and this scope's own: a plugin names a scope's variable's scope at the end of its purpose.
    const environment = ((service && service.environment) || []).filter((variable) =>
      !/ scope \S+$/.test(variable.purpose || '') || variable.purpose.endsWith(' scope ' + destination.name));
    if (environment.length) {
      card.append(h('h4', { text: 'Environment variables' }),
        h('ul', { class: 'environment' }, environment.map((variable) => h('li', {},
          h('code', { text: variable.name }), ' ', variable.purpose ? '(' + variable.purpose + ') ' : '',
          h('strong', { class: variable.is_set ? 'env-set' : 'env-missing', text: variable.is_set ? '✓ set' : '✗ missing' }),
          variable.is_required ? '' : ' (optional)',
          variable.refusal ? h('span', { class: 'env-refused', text: ' ⚠ refused when sending: ' + variable.refusal }) : null))));
    }

    const toggleList = h('ul', { class: 'toggles' });
    const drawToggles = (toggles) => toggleList.replaceChildren(...toggles.map((toggle) => toggleControl(destination, toggle, status, drawToggles)));
    card.append(h('h4', { text: 'Features' }), toggleList);
    callAPI('GET', destinationPath(destination.service, destination.name) + '/toggles').then((result) => {
      if (result.ok) drawToggles(result.answer.toggles);
      else showStatus(status, problemLine(problemOf(result)), true);
    });

    const deliveries = h('ol', { class: 'deliveries' });
    const drawDeliveries = async () => {
      const result = await callAPI('GET', destinationPath(destination.service, destination.name) + '/deliveries?limit=' + RECENT_DELIVERIES);
      if (!result.ok) {
        showStatus(status, problemLine(problemOf(result)), true);
        return;
      }
      const rows = result.answer.deliveries;
      deliveries.replaceChildren(...(rows.length ? rows.map(deliveryItem) : [h('li', { class: 'none', text: 'No delivery yet.' })]));
    };
    const refresh = h('button', { type: 'button', text: 'Refresh the deliveries of ' + title });
    refresh.addEventListener('click', drawDeliveries);
    card.append(h('h4', { text: `Last deliveries (up to ${RECENT_DELIVERIES}, newest first; test messages are not among them)` }), deliveries, refresh);
    drawDeliveries();

    const test = h('button', { type: 'button', class: 'send-test', text: 'Send test to ' + title });
    test.addEventListener('click', async () => {
      showStatus(status, 'Sending the test message…');
      const path = 'v1/services/' + encodeURIComponent(destination.service) + '/scopes/' + encodeURIComponent(destination.name) + '/test';
      const result = await callAPI('POST', path);
      if (result.ok) showStatus(status, `✓ Test sent: ${result.answer.destination} answered HTTP ${result.answer.status}.`);
      else showStatus(status, problemLine(problemOf(result)), true);
    });
    card.append(h('div', { class: 'actions' }, test));

    if (destination.origin === 'api') {
      const editor = settingsEditor('Replace the settings (secrets given again)');
      for (const [name, value] of Object.entries(destination.config || {})) editor.addRow(name, value);
      for (const name of destination.secret_settings || []) editor.addRow(name, '');
      const save = h('button', { type: 'button', text: 'Save the settings of ' + title });
      save.addEventListener('click', async () => {
        const result = await callAPI('PUT', destinationPath(destination.service, destination.name), JSON.stringify({ config: editor.read() }));
        if (result.ok) {
          showStatus(status, 'The settings are saved.');
          reload();
          return;
        }
        editor.showProblem(problemOf(result));
        showStatus(status, problemLine(problemOf(result)), true);
      });
      const remove = h('button', { type: 'button', text: 'Remove ' + title });
      remove.addEventListener('click', async () => {
        const result = await callAPI('DELETE', destinationPath(destination.service, destination.name));
        if (result.ok) reload('Removed ' + title + '.');
        else showStatus(status, problemLine(problemOf(result)), true);
      });
      card.append(h('details', { class: 'channel-edit' }, h('summary', { text: 'Change or remove' }), editor.element, save, remove));
    }
    card.append(status);
    return card;
  }

  /** Reads the destinations and services and draws one card per destination, then the form for a new one. */
  async function loadChannels(message) {
    const status = document.getElementById('channels-status');
    showStatus(status, 'Reading the channels…');
    const [destinations, services] = await Promise.all([callAPI('GET', 'v1/destinations'), callAPI('GET', 'v1/services')]);
    const failed = [destinations, services].find((result) => !result.ok);
    if (failed) {
      showStatus(status, problemLine(problemOf(failed)), true);
      return;
    }
    const byID = Object.fromEntries(services.answer.services.map((service) => [service.id, service]));
    const list = destinations.answer.destinations;
    document.getElementById('channel-list').replaceChildren(...list.map((destination) => channelCard(destination, byID[destination.service], loadChannels)));
    const select = document.getElementById('channel-new-service');
    const chosen = select.value;
    select.replaceChildren(...services.answer.services.map((service) => h('option', { value: service.id, text: service.name || service.id })));
    if (chosen) select.value = chosen;
    serviceCatalogue = byID;
    declareNewChannelFields();
    document.getElementById('channel-new').hidden = false;
    showStatus(status, (message ? message + ' ' : '') + `${list.length} channel${list.length === 1 ? '' : 's'}.`);
  }

  let newChannelSettings = null;
  /** `GET /v1/services`' services by id, as last read. */
  let serviceCatalogue = {};
  /** Gives the new destination's form the chosen service's declared scope settings. */
  function declareNewChannelFields() {
    const service = serviceCatalogue[document.getElementById('channel-new-service').value];
    newChannelSettings.declare(((service && service.configuration_fields) || []).filter((field) => field.level === 'scope'));
  }

  /** The form for a new destination: `POST /v1/destinations`, errors beside the field they name. */
  function setUpNewChannel() {
    newChannelSettings = settingsEditor('Settings');
    newChannelSettings.addRow();
    document.getElementById('channel-new-settings').replaceChildren(newChannelSettings.element);
    const fields = { service: document.getElementById('channel-new-service'), name: document.getElementById('channel-new-name') };
    fields.service.addEventListener('change', declareNewChannelFields);
    const errors = Object.fromEntries(Object.entries(fields).map(([key, field]) => {
      const error = h('p', { id: field.id + '-error', class: 'field-error', hidden: true });
      field.after(error);
      return [key, error];
    }));
    document.getElementById('channel-new-create').addEventListener('click', async () => {
      const status = document.getElementById('channel-new-status');
      for (const [key, error] of Object.entries(errors)) {
        error.hidden = true;
        fields[key].removeAttribute('aria-invalid');
        fields[key].removeAttribute('aria-describedby');
      }
      const body = { service: fields.service.value, name: fields.name.value.trim(), config: newChannelSettings.read() };
      const result = await callAPI('POST', 'v1/destinations', JSON.stringify(body));
      if (result.ok) {
        showStatus(status, `✓ Created ${body.service}/${body.name}.`);
        newChannelSettings.showProblem(null);
        fields.name.value = '';
        await loadChannels();
        return;
      }
      const problem = problemOf(result);
      showStatus(status, problemLine(problem), true);
      const key = (problem.path || '').split('.')[0];
      if (!newChannelSettings.showProblem(problem) && errors[key]) {
        showStatus(errors[key], problemLine(problem), true);
        errors[key].hidden = false;
        fields[key].setAttribute('aria-invalid', 'true');
        fields[key].setAttribute('aria-describedby', errors[key].id);
      }
    });
  }

  // ---------------------------------------------------------------- input: paste, upload, build

  function setStatus(text, isError) {
    showStatus(document.getElementById('status'), text, isError);
  }

  function readFile(file, asDataURL) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      if (asDataURL) reader.readAsDataURL(file);
      else reader.readAsText(file);
    });
  }

  /** The message text with attachments named by `path` given inline from the chosen files (matched by base name). */
  async function inlinedPaths(text) {
    const chosen = [...document.getElementById('attachment-files').files];
    if (!chosen.length) return text;
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return text;
    }
    const parts = message && Array.isArray(message.parts) ? message.parts : [];
    let changed = false;
    for (const part of parts) {
      if (!part || typeof part.path !== 'string') continue;
      const base = part.path.split('/').pop();
      const file = chosen.find((candidate) => candidate.name === base);
      if (!file) continue;
      const url = await readFile(file, true);
      delete part.path;
      part.filename = part.filename || file.name;
      part.mime_type = part.mime_type || file.type || 'application/octet-stream';
      part.data = String(url).slice(String(url).indexOf(',') + 1);
      changed = true;
    }
    return changed ? JSON.stringify(message) : text;
  }

  async function render() {
    const text = document.getElementById('message-json').value;
    if (!text.trim()) {
      setStatus('error: the message is empty; paste, open or build one', true);
      return;
    }
    setStatus('Rendering…');
    const result = await callAPI('POST', 'v1/render/all', await inlinedPaths(text));
    if (!result.ok) {
      setStatus(problemLine(problemOf(result)), true);
      return;
    }
    setStatus(`Rendered for ${[].concat(result.answer).length} services.`);
    showRenderings(result.answer);
  }

  let runCount = 0;
  function addRun() {
    runCount += 1;
    const id = 'run-' + runCount;
    const colors = ['', 'red', 'green', 'black', 'yellow', 'pink', 'blue'];
    const row = h('fieldset', { class: 'run', id },
      h('legend', { text: 'Text run ' + runCount }),
      h('label', { for: id + '-text', text: 'Text' }), h('input', { id: id + '-text', type: 'text', class: 'run-text' }),
      ['bold', 'italic'].map((flag) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', class: 'run-' + flag }), ' ' + flag)),
      h('label', { for: id + '-color', text: 'Color' }),
      h('select', { id: id + '-color', class: 'run-color' }, colors.map((color) => h('option', { value: color, text: color || 'none' }))),
      h('label', { for: id + '-link', text: 'Link (http, https or mailto)' }), h('input', { id: id + '-link', type: 'url', class: 'run-link' }));
    const remove = h('button', { type: 'button', text: 'Remove run ' + runCount });
    remove.addEventListener('click', () => row.remove());
    row.append(remove);
    document.getElementById('build-runs').append(row);
  }

  async function buildMessage() {
    const parts = [];
    for (const row of document.querySelectorAll('#build-runs .run')) {
      const text = row.querySelector('.run-text').value;
      if (!text) continue;
      const part = { type: 'text', text };
      if (row.querySelector('.run-bold').checked) part.bold = true;
      if (row.querySelector('.run-italic').checked) part.italic = true;
      if (row.querySelector('.run-color').value) part.color = row.querySelector('.run-color').value;
      if (row.querySelector('.run-link').value) part.link = row.querySelector('.run-link').value;
      parts.push(part);
    }
    const tags = document.getElementById('build-tags').value.split(',').map((tag) => tag.trim()).filter(Boolean);
    if (tags.length) parts.push({ type: 'tags', tags });
    const imageFile = document.getElementById('build-image').files[0];
    if (imageFile) {
      const url = String(await readFile(imageFile, true));
      parts.push({ type: 'attachment', filename: imageFile.name, mime_type: imageFile.type || 'image/png', data: url.slice(url.indexOf(',') + 1) });
    }
    const message = { format: 'herald.message/v1' };
    const title = document.getElementById('build-title').value;
    if (title) message.title = title;
    message.parts = parts;
    document.getElementById('message-json').value = JSON.stringify(message, null, 2);
    setStatus('The built message is in the JSON field.');
  }

  function start() {
    const markers = document.getElementById('show-markers');
    markers.addEventListener('change', () => document.body.classList.toggle('markers', markers.checked));
    const embedded = document.getElementById('herald-renderings');
    if (embedded) {
      // `herald render --open`: the renderings are a JSON data block in the page; there is no server to ask.
      document.getElementById('message-input').hidden = true;
      document.getElementById('channels').hidden = true;
      showRenderings(JSON.parse(embedded.textContent));
      return;
    }
    const token = document.getElementById('token');
    token.value = sessionStorage.getItem(TOKEN_KEY) || '';
    document.getElementById('token-forget').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      token.value = '';
      setStatus('The token is forgotten.');
    });
    document.getElementById('message-file').addEventListener('change', async (event) => {
      const file = event.target.files[0];
      if (file) document.getElementById('message-json').value = await readFile(file, false);
    });
    document.getElementById('build-add-run').addEventListener('click', addRun);
    document.getElementById('build-use').addEventListener('click', () => buildMessage().catch((error) => setStatus('error: ' + String(error), true)));
    document.getElementById('render').addEventListener('click', () => render().catch((error) => setStatus('error: ' + String(error), true)));
    addRun();
    document.getElementById('channels-load').addEventListener('click', () => loadChannels());
    setUpNewChannel();
  }

  document.addEventListener('DOMContentLoaded', start);
})();
