// Paste rules of the newsroom's prose editor (releases.forms.RichTextWidget), loaded by
// django-prose-editor's "configurable" preset as the extension "NewsroomPaste".
//
// - HTML (Word, Google Docs, web pages): the editor's schema keeps paragraphs, headings,
//   lists, links, quotes and tables and drops every style; before that, Word's list
//   paragraphs ("MsoListParagraph", bullet or number typed as text) become real lists,
//   h1 becomes h2 and h5/h6 become h4 (the levels a release body has), images are left
//   out (a body shows the release's own images, picked with the image button).
// - Plain text: the rules of releases.richtext.plain_text_to_html, kept identical: every
//   line a paragraph, "- ", "-- ", "* ", "• " lines a bulleted list, "1. " / "1) " lines a
//   numbered one, bare http(s):// and www. addresses links.
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

export function plainTextToHtml(text) {
  const blocks = []
  let listTag = ""
  let items = []
  const closeList = () => {
    if (items.length) blocks.push(`<${listTag}>${items.join("")}</${listTag}>`)
    listTag = ""
    items = []
  }
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    if (!line.trim()) continue
    const bullet = line.match(BULLET)
    const numbered = bullet ? null : line.match(NUMBERED)
    const match = bullet || numbered
    if (match) {
      const tag = bullet ? "ul" : "ol"
      if (tag !== listTag) {
        closeList()
        listTag = tag
      }
      items.push(`<li>${inline(match[1])}</li>`)
    } else {
      closeList()
      blocks.push(`<p>${inline(line)}</p>`)
    }
  }
  closeList()
  return blocks.join("")
}

function rename(element, tag) {
  const renamed = element.ownerDocument.createElement(tag)
  renamed.append(...element.childNodes)
  element.replaceWith(renamed)
  return renamed
}

// Word writes a list item as a paragraph whose bullet or number is text in a span marked
// "mso-list:Ignore" (inside conditional comments), or as plain leading text.
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
    const first = paragraph.firstChild
    const text = first && first.nodeType === Node.TEXT_NODE ? first.textContent : ""
    const leading = text.match(/^\s*([·•▪§o\-*]|\(?[0-9a-zA-Z]{1,4}[.)])[\s\u00a0]+/)
    if (!leading) return null
    marker = leading[1]
    first.textContent = text.slice(leading[0].length)
  }
  return /^\(?[0-9a-zA-Z]{1,4}[.)]$/.test(marker) ? "ol" : "ul"
}

function isWordListParagraph(paragraph) {
  return (
    /MsoListParagraph/i.test(paragraph.className) ||
    /mso-list:\s*l\d/i.test(paragraph.getAttribute("style") || "")
  )
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
  let list = null
  for (const paragraph of body.querySelectorAll("p")) {
    if (!isWordListParagraph(paragraph)) continue
    const tag = wordListMarker(paragraph)
    if (!tag) continue
    const item = document_.createElement("li")
    item.append(...paragraph.childNodes)
    if (list && list.tagName.toLowerCase() === tag && paragraph.previousElementSibling === list) {
      list.append(item)
      paragraph.remove()
    } else {
      list = document_.createElement(tag)
      list.append(item)
      paragraph.replaceWith(list)
    }
  }
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
