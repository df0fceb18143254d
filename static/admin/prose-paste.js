// Paste rules of the newsroom's prose editor (releases.forms.RichTextWidget), loaded by
// django-prose-editor's "configurable" preset as the extension "NewsroomPaste".
//
// - HTML (Word, Google Docs, web pages): the editor's schema keeps paragraphs, headings,
//   lists, links, quotes and tables and drops every style; before that, Word's list
//   paragraphs ("MsoListParagraph", bullet or number typed as text, "level2" deeper)
//   become real lists, nested as in Word, and a list placed directly in a list (Google
//   Docs) moves into the item before it; h1 becomes h2 and h5/h6 become h4 (the levels a
//   release body has), images are left out (a body shows the release's own images,
//   picked with the image button).
// - Plain text: the rules of releases.richtext.plain_text_to_html, kept identical: every
//   line a paragraph, "- ", "-- ", "* ", "• " lines a bulleted list, "1. " / "1) " lines a
//   numbered one, an item indented 2+ columns (a tab is 4) under another a nested list,
//   bare http(s):// and www. addresses links.
import { Extension, Plugin } from "django-prose-editor/editor"

const BULLET = /^\s*(?:--?|\*|•)\s+(\S.*)$/
const NUMBERED = /^\s*\d{1,3}[.)]\s+(\S.*)$/
const URL = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi
const TRAILING = ".,;:!?'\u2019\u201d"

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
}

function count(text, character) {
  return text.split(character).length - 1
}

function linkedUrl(url) {
  let tail = ""
  while (
    url &&
    (TRAILING.includes(url.at(-1)) || (url.at(-1) === ")" && count(url, "(") < count(url, ")")))
  ) {
    tail = url.at(-1) + tail
    url = url.slice(0, -1)
  }
  const href = url.includes("://") ? url : `https://${url}`
  return `<a href="${escapeHtml(href)}">${escapeHtml(url)}</a>${escapeHtml(tail)}`
}

function inline(text) {
  let out = ""
  let position = 0
  for (const match of text.matchAll(URL)) {
    out += escapeHtml(text.slice(position, match.index)) + linkedUrl(match[0])
    position = match.index + match[0].length
  }
  out += escapeHtml(text.slice(position))
  return out.split(/\s+/).filter(Boolean).join(" ")
}

// An item indented by at least NEST_INDENT columns (a tab is TAB_WIDTH) more than the item
// above it starts a list nested in that item.
const TAB_WIDTH = 4
const NEST_INDENT = 2

function expandTabs(line) {
  let out = ""
  for (const character of line) {
    out += character === "\t" ? " ".repeat(TAB_WIDTH - (out.length % TAB_WIDTH)) : character
  }
  return out
}

function listLine(line) {
  const bullet = line.match(BULLET)
  const match = bullet || line.match(NUMBERED)
  if (!match) return null
  const expanded = expandTabs(line)
  const indent = expanded.length - expanded.trimStart().length
  return { tag: bullet ? "ul" : "ol", indent, html: inline(match[1]) }
}

function listHtml(list) {
  const items = list.items.map(
    ([html, nested]) => `<li>${html}${nested.map(listHtml).join("")}</li>`,
  )
  return `<${list.tag}>${items.join("")}</${list.tag}>`
}

export function plainTextToHtml(text) {
  const blocks = []
  // The open lists, outermost first; each one after the first is nested in the last
  // item of the one before it.
  const open = []
  const closeLists = () => {
    if (open.length) blocks.push(listHtml(open[0]))
    open.length = 0
  }
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    if (!line.trim()) continue
    const item = listLine(line)
    if (!item) {
      closeLists()
      blocks.push(`<p>${inline(line)}</p>`)
      continue
    }
    // Back out of the nested lists this item is less indented than, unless it is still
    // nested in their parent item ("    - b" then "  - c": c is b's sibling).
    while (
      open.length > 1 &&
      item.indent < open.at(-1).indent &&
      item.indent < open.at(-2).indent + NEST_INDENT
    ) {
      open.pop()
    }
    if (open.length && item.indent >= open.at(-1).indent + NEST_INDENT) {
      const nested = { tag: item.tag, indent: item.indent, items: [] }
      open.at(-1).items.at(-1)[1].push(nested)
      open.push(nested)
    } else if (open.length && item.tag !== open.at(-1).tag) {
      // An item of the other kind at the same depth starts a list of its own: at the
      // top, after the one it ends; deeper, in the same parent item.
      if (open.length === 1) {
        closeLists()
        open.push({ tag: item.tag, indent: item.indent, items: [] })
      } else {
        const sibling = { tag: item.tag, indent: open.at(-1).indent, items: [] }
        open.at(-2).items.at(-1)[1].push(sibling)
        open[open.length - 1] = sibling
      }
    } else if (!open.length) {
      open.push({ tag: item.tag, indent: item.indent, items: [] })
    }
    open.at(-1).items.push([item.html, []])
  }
  closeLists()
  return blocks.join("")
}

function rename(element, tag) {
  const renamed = element.ownerDocument.createElement(tag)
  renamed.append(...element.childNodes)
  element.replaceWith(renamed)
  return renamed
}

// A list marker Word typed as text: a bullet (Symbol's "·", Courier's "o", Wingdings' "§"
// and their private-use code points, dashes, arrows) or a number ("1.", "1.2.", "a)",
// "(iv)"). Letters count only alone or as roman numerals, so "Done. Next" keeps its word.
const WORD_BULLET = "[·•▪■□◦‣§o\\-–—*➢►Øü\\uf0a7\\uf0b7\\uf076\\uf0d8\\uf0fc]"
const WORD_NUMBER = "\\(?(?:\\d{1,3}(?:\\.\\d{1,3})*|[a-zA-Z]|[ivxlcdm]{1,6}|[IVXLCDM]{1,6})[.)]"
const WORD_NUMBER_MARKER = new RegExp(`^${WORD_NUMBER}$`)
const WORD_LEADING_MARKER = new RegExp(`^\\s*(${WORD_BULLET}|${WORD_NUMBER})\\s+`)

function removeLeadingText(element, length) {
  const walker = element.ownerDocument.createTreeWalker(element, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node && length > 0; node = walker.nextNode()) {
    const cut = Math.min(length, node.textContent.length)
    node.textContent = node.textContent.slice(cut)
    length -= cut
  }
}

// Word writes a list item as a paragraph whose bullet or number is text in a span marked
// "mso-list:Ignore" (inside conditional comments) or, in older versions, as leading text
// followed by non-breaking spaces (possibly inside styled spans). Returns the list's tag
// and removes the marker; null when the paragraph has no marker.
function wordListMarker(paragraph) {
  let marker = ""
  for (const ignored of paragraph.querySelectorAll('[style*="mso-list"]')) {
    if (/mso-list:\s*ignore/i.test(ignored.getAttribute("style"))) {
      marker += ignored.textContent
      ignored.remove()
    }
  }
  marker = marker.replace(/\u00a0/g, " ").trim()
  if (!marker) {
    const leading = paragraph.textContent.match(WORD_LEADING_MARKER)
    if (!leading) return null
    marker = leading[1]
    removeLeadingText(paragraph, leading[0].length)
  }
  return WORD_NUMBER_MARKER.test(marker) ? "ol" : "ul"
}

function isWordListParagraph(paragraph) {
  return (
    /MsoListParagraph/i.test(paragraph.className) ||
    /mso-list:\s*l\d/i.test(paragraph.getAttribute("style") || "")
  )
}

// "mso-list:l0 level2 lfo1": the item's depth, 1 for the outermost list.
function wordListLevel(paragraph) {
  const level = (paragraph.getAttribute("style") || "").match(/mso-list:\s*l\d+\s+level(\d+)/i)
  return level ? Number(level[1]) : 1
}

// Word's list paragraphs become lists, each deeper level a list inside the previous item
// of the level above, as the release body (and HTML) nests them.
function wordParagraphsToLists(body) {
  // open[d] is the list at depth d + 1 of the list being built.
  let open = []
  for (const paragraph of body.querySelectorAll("p")) {
    if (!isWordListParagraph(paragraph)) continue
    const tag = wordListMarker(paragraph)
    if (!tag) continue
    // A list goes on while its paragraphs follow one another.
    if (!open.length || paragraph.previousElementSibling !== open[0]) open = []
    // A skipped level (level 1, then 3) nests one deeper, not two.
    const depth = Math.min(wordListLevel(paragraph), open.length + 1)
    open.length = Math.min(open.length, depth)
    // An item of the other kind (a numbered item after bullets) starts a list of its own.
    if (open.length === depth && open[depth - 1].tagName.toLowerCase() !== tag) {
      open.length = depth - 1
    }
    if (open.length < depth) {
      const list = paragraph.ownerDocument.createElement(tag)
      if (depth === 1) paragraph.before(list)
      else open[depth - 2].lastElementChild.append(list)
      open.push(list)
    }
    const item = paragraph.ownerDocument.createElement("li")
    item.append(...paragraph.childNodes)
    open[depth - 1].append(item)
    paragraph.remove()
  }
}

// Google Docs and some web pages nest a list directly in its parent list (<ul><li>…</li>
// <ul>…</ul></ul>); in a release body (and in HTML) it belongs in the item before it.
function nestListsInItems(body) {
  for (const list of body.querySelectorAll(":is(ul, ol) > :is(ul, ol)")) {
    let item = list.previousElementSibling
    if (!item || item.tagName.toLowerCase() !== "li") {
      item = list.ownerDocument.createElement("li")
      list.before(item)
    }
    item.append(list)
  }
}

export function cleanPastedHtml(html, view) {
  const document_ = new DOMParser().parseFromString(html, "text/html")
  const body = document_.body
  // Google Docs marks every block dir="ltr": only a direction other than the editor's
  // own (an Arabic quote in an English body) means something (prose-language.js).
  const direction = view ? getComputedStyle(view.dom).direction : "ltr"
  for (const element of body.querySelectorAll("[dir]")) {
    if (element.getAttribute("dir") === direction) element.removeAttribute("dir")
  }
  // Google Docs wraps the whole copy in a <b> that is not bold.
  for (const wrapper of body.querySelectorAll('b[id^="docs-internal-guid"]')) {
    wrapper.replaceWith(...wrapper.childNodes)
  }
  // Images come from the release's own uploads, through the image button; another
  // site's image would be dropped on save anyway. A copy within the editor keeps its own.
  if (!body.querySelector("[data-pm-slice]")) {
    for (const image of body.querySelectorAll("img")) image.remove()
  }
  for (const heading of body.querySelectorAll("h1")) rename(heading, "h2")
  for (const heading of body.querySelectorAll("h5, h6")) rename(heading, "h4")
  wordParagraphsToLists(body)
  nestListsInItems(body)
  return body.innerHTML
}

export const NewsroomPaste = Extension.create({
  name: "newsroomPaste",

  addProseMirrorPlugins() {
    return [
      new Plugin({
        props: {
          transformPastedHTML: cleanPastedHtml,
          handlePaste(view, event) {
            const data = event.clipboardData
            // A paste made by view.pasteHTML below has no clipboard: the editor goes on.
            if (!data || data.getData("text/html")) return false
            const text = data.getData("text/plain")
            if (!text || view.state.selection.$from.parent.type.spec.code) return false
            view.pasteHTML(plainTextToHtml(text))
            return true
          },
        },
      }),
    ]
  },
})
