/** How GitHub shows a pull-request comment's Markdown, for the plan's Markdown tests. */

/**
 * The elements GitHub's sanitizer lets through (gjtorikian/html-pipeline,
 * lib/html/pipeline/sanitization_filter.rb, the allow-list GitHub published); any other
 * element is removed.
 */
const GITHUB_ALLOWED = new Set(
  `h1 h2 h3 h4 h5 h6 h7 h8 br b i strong em a pre code img tt div ins del sup sub p ol ul
   table thead tbody tfoot blockquote dl dt dd kbd q samp var hr ruby rt rp li tr td th s
   strike summary details caption figure figcaption abbr bdo cite dfn mark small span time wbr`.split(/\s+/),
);
/** A raw HTML open or closing tag as CommonMark reads one (spec, 6.6 Raw HTML): `<Slack incoming-webhook URL>` is one. */
const TAG = /<\/?([A-Za-z][A-Za-z0-9-]*)(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>/g;
const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"' };

/**
 * What a reader sees of a comment's text on GitHub, as far as HTML goes: fenced code blocks
 * and code spans stay as written; elsewhere HTML comments are hidden, a tag not on the
 * allow-list is dropped with the text written inside it, and entities show as their
 * characters. Returns that text, the dropped tags and the hidden comments.
 */
export function githubRender(markdown: string): { text: string; dropped: string[]; hidden: string[] } {
  const dropped: string[] = [];
  const hidden: string[] = [];
  const prose = (part: string) =>
    part
      .replace(/<!--[^]*?-->/g, (comment) => (hidden.push(comment), ""))
      .replace(TAG, (tag, name: string) => (GITHUB_ALLOWED.has(name.toLowerCase()) ? tag : (dropped.push(tag), "")))
      .replace(/&(lt|gt|amp|quot);/g, (entity) => ENTITIES[entity]);
  // Odd parts are code (a fenced block, or a code span): literal on GitHub.
  const text = markdown
    .split(/(^```[^\n]*\n[^]*?\n```$|`[^`\n]+`)/m)
    .map((part, i) => (i % 2 === 1 ? part : prose(part)))
    .join("");
  return { text, dropped, hidden };
}
